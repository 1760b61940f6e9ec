package org.clinical.events.facility;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.UUID;

public record FacilityId(UUID value) {

    @JsonCreator
    public static FacilityId of(String value) {
        return new FacilityId(UUID.fromString(value));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
