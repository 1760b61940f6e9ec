package org.clinical.events.facility;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum FacilityType {
    @JsonProperty("hospital") HOSPITAL,
    @JsonProperty("clinic") CLINIC,
    @JsonProperty("lab") LAB
}
