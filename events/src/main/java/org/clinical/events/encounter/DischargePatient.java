package org.clinical.events.encounter;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;

public record DischargePatient(@TargetAggregateIdentifier EncounterId encounterId, Instant at, String disposition,
                               @TargetAggregateVersion Long expectedVersion) {
}
