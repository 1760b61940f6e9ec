package org.clinical.events.encounter;

import org.axonframework.serialization.Revision;
import org.clinical.events.common.Coding;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;

import java.time.Instant;

/** Events of an encounter: a patient's stay or visit at a facility. */
public sealed interface EncounterEvent {

    EncounterId encounterId();

    PatientId patientId();

    @Revision("1")
    record EncounterStarted(EncounterId encounterId, PatientId patientId, EncounterClass encounterClass,
                            FacilityId facilityId, String location, Instant startedAt, Coding reason)
            implements EncounterEvent {
    }

    @Revision("1")
    record PatientTransferred(EncounterId encounterId, PatientId patientId, String fromLocation, String toLocation,
                              Instant at) implements EncounterEvent {
    }

    @Revision("1")
    record PatientDischarged(EncounterId encounterId, PatientId patientId, Instant at, String disposition)
            implements EncounterEvent {
    }

    @Revision("1")
    record EncounterCancelled(EncounterId encounterId, PatientId patientId, String reason, Instant cancelledAt)
            implements EncounterEvent {
    }
}
