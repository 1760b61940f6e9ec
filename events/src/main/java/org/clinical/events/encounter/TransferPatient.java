package org.clinical.events.encounter;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.clinical.events.common.VersionedCommand;

import java.time.Instant;

public record TransferPatient(@TargetAggregateIdentifier EncounterId encounterId, String location, Instant at,
                              @TargetAggregateVersion Long expectedVersion) implements VersionedCommand {
}
