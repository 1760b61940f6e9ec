package org.clinical.events.patient;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RegisterPatient(@TargetAggregateIdentifier PatientId patientId, Mrn mrn, Demographics demographics) {
}
