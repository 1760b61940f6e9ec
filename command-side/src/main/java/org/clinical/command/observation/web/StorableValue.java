package org.clinical.command.observation.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An observation value that every read model holds exactly: see {@link #DESCRIPTION}. Each refusal names the
 * offending part, e.g. {@code value.components[1].value.quantity.value}.
 */
@Documented
@Constraint(validatedBy = StorableValueValidator.class)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface StorableValue {

    String DESCRIPTION = "Exactly one of quantity {value, unit}, code {system, code, display?}, string, boolean,"
            + " components [{code, value}]. A quantity value has at most 12 digits before and 6 after the decimal"
            + " point; unit at most 64 characters; string at most 4000 characters of text; a panel has 1 to 20"
            + " components, none of them a panel itself. Codes as in code.";

    String message() default "is not a storable observation value";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
