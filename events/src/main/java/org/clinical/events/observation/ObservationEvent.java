package org.clinical.events.observation;

import org.axonframework.serialization.Revision;
import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;

import java.time.Instant;

/** Events of an observation: a vital sign, lab result or panel about a patient. */
public sealed interface ObservationEvent {

    ObservationId observationId();

    PatientId patientId();

    /** {@code facilityId} is the facility of the encounter, when there is one. */
    @Revision("1")
    record ObservationRecorded(ObservationId observationId, PatientId patientId, EncounterId encounterId,
                               FacilityId facilityId, Coding code, String category, Instant effectiveAt,
                               ObservationValue value, ReferenceRange referenceRange) implements ObservationEvent {
    }

    @Revision("1")
    record ObservationAmended(ObservationId observationId, PatientId patientId, ObservationValue value,
                              ReferenceRange referenceRange, String reason, Instant amendedAt)
            implements ObservationEvent {
    }

    @Revision("1")
    record ObservationEnteredInError(ObservationId observationId, PatientId patientId, String reason,
                                     Instant markedAt) implements ObservationEvent {
    }
}
