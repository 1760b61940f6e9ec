package org.clinical.command.observation;

import org.clinical.command.encounter.EncounterStatus;
import org.clinical.command.patient.PatientStatus;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Patients' statuses and encounters' facts as maps; counts the lookups so batches can show they look up once. */
public class InMemoryObservationSubjects implements ObservationSubjects {

    private final Map<PatientId, PatientStatus> patients = new HashMap<>();
    private final Map<EncounterId, EncounterFacts> encounters = new HashMap<>();
    private int lookups;

    public InMemoryObservationSubjects patient(PatientId patientId, PatientStatus status) {
        patients.put(patientId, status);
        return this;
    }

    public InMemoryObservationSubjects encounter(EncounterId encounterId, PatientId patientId, FacilityId facilityId,
                                                 EncounterStatus status) {
        encounters.put(encounterId, new EncounterFacts(patientId, facilityId, status));
        return this;
    }

    @Override
    public Subject lookup(PatientId patientId, EncounterId encounterId) {
        lookups++;
        return subject(patientId, encounterId);
    }

    @Override
    public Map<Key, Subject> lookupAll(Collection<Key> keys) {
        lookups++;
        Map<Key, Subject> subjects = new HashMap<>();
        keys.forEach(key -> subjects.put(key, subject(key.patientId(), key.encounterId())));
        return subjects;
    }

    public int lookups() {
        return lookups;
    }

    private Subject subject(PatientId patientId, EncounterId encounterId) {
        return new Subject(patients.get(patientId), encounterId == null ? null : encounters.get(encounterId));
    }
}
