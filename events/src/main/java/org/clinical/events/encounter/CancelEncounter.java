package org.clinical.events.encounter;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.clinical.events.common.VersionedCommand;

import java.time.Instant;

public record CancelEncounter(@TargetAggregateIdentifier EncounterId encounterId, String reason, Instant cancelledAt,
                              @TargetAggregateVersion Long expectedVersion) implements VersionedCommand {
}
