package org.clinical.events.patient;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.clinical.events.common.VersionedCommand;

import java.time.Instant;

public record RecordDeath(@TargetAggregateIdentifier PatientId patientId, Instant deceasedAt,
                          @TargetAggregateVersion Long expectedVersion) implements VersionedCommand {
}
