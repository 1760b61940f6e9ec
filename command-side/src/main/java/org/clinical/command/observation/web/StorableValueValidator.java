package org.clinical.command.observation.web;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.clinical.command.web.Limits;
import org.clinical.command.web.PrintableText;
import org.clinical.events.common.Coding;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.ObservationValue.BooleanValue;
import org.clinical.events.observation.ObservationValue.CodeValue;
import org.clinical.events.observation.ObservationValue.Components;
import org.clinical.events.observation.ObservationValue.Quantity;
import org.clinical.events.observation.ObservationValue.StringValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Checks an {@link ObservationValue} against {@link StorableValue}'s limits, naming each offending part. */
public class StorableValueValidator implements ConstraintValidator<StorableValue, ObservationValue> {

    @Override
    public boolean isValid(ObservationValue value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        List<String[]> errors = new ArrayList<>();
        check(value, "", true, errors);
        if (errors.isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        for (String[] error : errors) {
            context.buildConstraintViolationWithTemplate(error[1].replace("{", "\\{"))
                    .addPropertyNode(error[0]).addConstraintViolation();
        }
        return false;
    }

    private static void check(ObservationValue value, String path, boolean panelAllowed, List<String[]> errors) {
        switch (value) {
            case Quantity q -> {
                if (!fits(q.value())) {
                    errors.add(new String[]{path + "quantity.value", "must have at most " + Limits.INTEGER_DIGITS
                            + " digits before and " + Limits.FRACTION_DIGITS + " after the decimal point"});
                }
                line(q.unit(), Limits.WORD, path + "quantity.unit", errors);
            }
            case CodeValue c -> coding(c.code(), path + "code.", errors);
            case StringValue s -> {
                if (s.text().isBlank() || s.text().length() > Limits.STRING_VALUE || !PrintableText.isText(s.text())) {
                    errors.add(new String[]{path + "string", "must be printable text of 1 to "
                            + Limits.STRING_VALUE + " characters"});
                }
            }
            case BooleanValue b -> {
            }
            case Components c -> components(c, path, panelAllowed, errors);
        }
    }

    private static void components(Components panel, String path, boolean panelAllowed, List<String[]> errors) {
        if (!panelAllowed) {
            errors.add(new String[]{path + "components", "a component must not be a panel itself"});
            return;
        }
        if (panel.components().size() > Limits.COMPONENTS) {
            errors.add(new String[]{path + "components", "size must be between 1 and " + Limits.COMPONENTS});
            return;
        }
        for (int i = 0; i < panel.components().size(); i++) {
            String at = path + "components[" + i + "].";
            coding(panel.components().get(i).code(), at + "code.", errors);
            check(panel.components().get(i).value(), at + "value.", false, errors);
        }
    }

    private static void coding(Coding coding, String path, List<String[]> errors) {
        line(coding.system(), Limits.URI, path + "system", errors);
        line(coding.code(), Limits.CODE, path + "code", errors);
        if (coding.display() != null && (coding.display().length() > Limits.REASON
                || !PrintableText.isText(coding.display()))) {
            errors.add(new String[]{path + "display", "must be printable text of at most " + Limits.REASON
                    + " characters"});
        }
    }

    private static void line(String text, int max, String field, List<String[]> errors) {
        if (text == null || text.isBlank() || text.length() > max || !PrintableText.isLine(text)) {
            errors.add(new String[]{field, "must be one line of 1 to " + max + " printable characters"});
        }
    }

    /** At most {@link Limits#INTEGER_DIGITS} digits before and {@link Limits#FRACTION_DIGITS} after the point. */
    static boolean fits(BigDecimal number) {
        if (number.signum() == 0) {
            // 0e10000 is zero too, but its scale is past what the stored JSON (plain decimals) can write
            return number.scale() <= Limits.FRACTION_DIGITS && number.scale() >= -Limits.INTEGER_DIGITS;
        }
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() <= Limits.FRACTION_DIGITS
                && stripped.precision() - stripped.scale() <= Limits.INTEGER_DIGITS;
    }
}
