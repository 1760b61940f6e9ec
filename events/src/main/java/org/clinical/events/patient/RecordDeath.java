package org.clinical.events.patient;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;

public record RecordDeath(@TargetAggregateIdentifier PatientId patientId, Instant deceasedAt,
                          @TargetAggregateVersion Long expectedVersion) {
}
