package org.clinical.events.patient;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.UUID;

public record PatientId(UUID value) {

    @JsonCreator
    public static PatientId of(String value) {
        return new PatientId(UUID.fromString(value));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
