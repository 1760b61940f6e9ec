package org.clinical.events.patient;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.time.Instant;

public record MergePatient(@TargetAggregateIdentifier PatientId patientId, PatientId survivorId, Instant mergedAt,
                           @TargetAggregateVersion Long expectedVersion) {
}
