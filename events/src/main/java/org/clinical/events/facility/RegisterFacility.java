package org.clinical.events.facility;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

public record RegisterFacility(@TargetAggregateIdentifier FacilityId facilityId, String code, String name,
                               FacilityType type, Integer beds, Instant registeredAt) {
}
