package org.clinical.events.patient;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Medical record number: unique per tenant. */
public record Mrn(String value) {

    @JsonCreator
    public static Mrn of(String value) {
        return new Mrn(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
