package org.clinical.events.observation;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.clinical.events.common.Coding;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The value of an observation: exactly one kind. Its JSON form names the kind as the single key,
 * e.g. {@code {"quantity": {"value": 7.2, "unit": "mmol/L"}}} or {@code {"string": "clear"}}.
 */
@JsonSerialize(using = ObservationValueJson.Writer.class)
@JsonDeserialize(using = ObservationValueJson.Reader.class)
public sealed interface ObservationValue {

    /** A measured amount with a UCUM unit ({@code mmol/L}, {@code mm[Hg]}, {@code /min}). */
    record Quantity(BigDecimal value, String unit) implements ObservationValue {

        public Quantity {
            Objects.requireNonNull(value, "quantity value");
            Objects.requireNonNull(unit, "quantity unit");
        }
    }

    record CodeValue(Coding code) implements ObservationValue {

        public CodeValue {
            Objects.requireNonNull(code, "code");
        }
    }

    record StringValue(String text) implements ObservationValue {

        public StringValue {
            Objects.requireNonNull(text, "string");
        }
    }

    record BooleanValue(boolean value) implements ObservationValue {
    }

    /** A panel such as blood pressure: each component has its own code and value. */
    record Components(List<Component> components) implements ObservationValue {

        public Components {
            components = List.copyOf(components);
            if (components.isEmpty()) {
                throw new IllegalArgumentException("a panel has at least one component");
            }
        }
    }

    record Component(Coding code, ObservationValue value) {

        public Component {
            Objects.requireNonNull(code, "component code");
            Objects.requireNonNull(value, "component value");
        }
    }
}
