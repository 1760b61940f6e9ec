package org.clinical.command.observation;

import org.clinical.command.encounter.EncounterStatus;
import org.clinical.command.patient.PatientStatus;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;

import java.util.Collection;
import java.util.Map;

/** What an observation's rules need to know about its patient and encounter, looked up in one go. */
public interface ObservationSubjects {

    /**
     * @param patient   the patient's status, or null when there is no such patient
     * @param encounter the encounter's facts, or null when none was named or there is no such encounter
     */
    record Subject(PatientStatus patient, EncounterFacts encounter) {
    }

    record EncounterFacts(PatientId patientId, FacilityId facilityId, EncounterStatus status) {
    }

    record Key(PatientId patientId, EncounterId encounterId) {
    }

    Subject lookup(PatientId patientId, EncounterId encounterId);

    /** The same for many observations, in a constant number of queries. */
    Map<Key, Subject> lookupAll(Collection<Key> keys);
}
