package org.clinical.events.encounter;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.UUID;

public record EncounterId(UUID value) {

    @JsonCreator
    public static EncounterId of(String value) {
        return new EncounterId(UUID.fromString(value));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
