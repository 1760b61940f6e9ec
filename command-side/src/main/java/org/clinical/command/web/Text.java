package org.clinical.command.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Free text (reasons, display texts, string values): like {@link Line}, but tab, line feed and carriage
 * return are allowed. Null is valid; the length is bounded by the {@code @Size} next to it.
 */
@Documented
@Constraint(validatedBy = PrintableText.TextValidator.class)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE,
        ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Text {

    String message() default "must be printable text (no control characters other than tab and line breaks)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
