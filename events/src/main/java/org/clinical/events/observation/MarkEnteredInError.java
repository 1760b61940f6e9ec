package org.clinical.events.observation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.clinical.events.common.VersionedCommand;

import java.time.Instant;

public record MarkEnteredInError(@TargetAggregateIdentifier ObservationId observationId, String reason,
                                 Instant markedAt, @TargetAggregateVersion Long expectedVersion) implements VersionedCommand {
}
