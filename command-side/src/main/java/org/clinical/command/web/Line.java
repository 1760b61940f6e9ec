package org.clinical.command.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Single-line text (names, codes, identifiers, units...): printable characters only, no control character at
 * all, no lone surrogate and no Unicode non-character. Null is valid (combine with {@code @NotBlank}); the
 * length is bounded by the {@code @Size} next to it, which the OpenAPI description shows.
 */
@Documented
@Constraint(validatedBy = PrintableText.LineValidator.class)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE,
        ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Line {

    String message() default "must be one line of printable characters (no control characters)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
