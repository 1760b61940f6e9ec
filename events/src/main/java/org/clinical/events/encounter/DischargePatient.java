package org.clinical.events.encounter;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.clinical.events.common.VersionedCommand;

import java.time.Instant;

public record DischargePatient(@TargetAggregateIdentifier EncounterId encounterId, Instant at, String disposition,
                               @TargetAggregateVersion Long expectedVersion) implements VersionedCommand {
}
