package org.clinical.events.patient;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.clinical.events.common.VersionedCommand;

public record UpdateDemographics(@TargetAggregateIdentifier PatientId patientId, Demographics demographics,
                                 @TargetAggregateVersion Long expectedVersion) implements VersionedCommand {
}
