package org.clinical.events.encounter;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.clinical.events.common.Coding;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;

import java.time.Instant;

public record StartEncounter(@TargetAggregateIdentifier EncounterId encounterId, PatientId patientId,
                             EncounterClass encounterClass, FacilityId facilityId, String location, Instant startedAt,
                             Coding reason) {
}
