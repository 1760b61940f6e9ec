package org.clinical.events.patient;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

public record UpdateDemographics(@TargetAggregateIdentifier PatientId patientId, Demographics demographics,
                                 @TargetAggregateVersion Long expectedVersion) {
}
