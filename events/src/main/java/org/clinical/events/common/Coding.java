package org.clinical.events.common;

/** A code from a terminology (LOINC, SNOMED CT, ICD-10...): {@code system} is its URI. */
public record Coding(String system, String code, String display) {
}
