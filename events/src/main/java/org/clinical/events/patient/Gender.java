package org.clinical.events.patient;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Administrative gender, as FHIR codes it. */
public enum Gender {
    @JsonProperty("male") MALE,
    @JsonProperty("female") FEMALE,
    @JsonProperty("other") OTHER,
    @JsonProperty("unknown") UNKNOWN
}
