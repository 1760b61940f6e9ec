package org.clinical.events.patient;

/** A business identifier of a patient issued by another system (national id, insurance number...). */
public record Identifier(String system, String value) {
}
