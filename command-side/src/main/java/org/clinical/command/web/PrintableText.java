package org.clinical.command.web;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * What text the platform stores: no NUL or other C0/C1 control character (PostgreSQL text cannot hold NUL,
 * and controls have no place in clinical text), no lone surrogate (not encodable as UTF-8), no Unicode
 * non-character. Free text may hold tab, line feed and carriage return.
 */
public final class PrintableText {

    private PrintableText() {
    }

    public static boolean isLine(String text) {
        return text == null || printable(text, false);
    }

    public static boolean isText(String text) {
        return text == null || printable(text, true);
    }

    private static boolean printable(String text, boolean multiline) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                int codePoint = text.codePointAt(i++);
                if ((codePoint & 0xFFFE) == 0xFFFE) {
                    return false;
                }
            } else if (Character.isLowSurrogate(c) || !allowed(c, multiline)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(char c, boolean multiline) {
        if (c < 0x20) {
            return multiline && (c == '\t' || c == '\n' || c == '\r');
        }
        boolean control = c >= 0x7F && c <= 0x9F;
        boolean nonCharacter = (c >= 0xFDD0 && c <= 0xFDEF) || c == 0xFFFE || c == 0xFFFF;
        return !control && !nonCharacter;
    }

    public static final class LineValidator implements ConstraintValidator<Line, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return isLine(value);
        }
    }

    public static final class TextValidator implements ConstraintValidator<Text, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return isText(value);
        }
    }
}
