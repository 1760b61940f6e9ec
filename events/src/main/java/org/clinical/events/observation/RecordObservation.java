package org.clinical.events.observation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.patient.PatientId;

import java.time.Instant;

public record RecordObservation(@TargetAggregateIdentifier ObservationId observationId, PatientId patientId,
                                EncounterId encounterId, Coding code, String category, Instant effectiveAt,
                                ObservationValue value, ReferenceRange referenceRange) {
}
