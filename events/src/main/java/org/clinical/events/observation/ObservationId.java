package org.clinical.events.observation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.UUID;

public record ObservationId(UUID value) {

    @JsonCreator
    public static ObservationId of(String value) {
        return new ObservationId(UUID.fromString(value));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
