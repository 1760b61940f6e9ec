package org.clinical.events.observation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.clinical.events.common.VersionedCommand;

import java.time.Instant;

public record AmendObservation(@TargetAggregateIdentifier ObservationId observationId, ObservationValue value,
                               ReferenceRange referenceRange, String reason, Instant amendedAt,
                               @TargetAggregateVersion Long expectedVersion) implements VersionedCommand {
}
