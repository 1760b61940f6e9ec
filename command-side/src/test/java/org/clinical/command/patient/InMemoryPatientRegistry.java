package org.clinical.command.patient;

import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientId;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The patient registry as a map, with the table's unique MRN and primary key. */
public class InMemoryPatientRegistry implements PatientRegistry {

    private record Row(Mrn mrn, PatientStatus status) {
    }

    private final Map<PatientId, Row> patients = new HashMap<>();

    @Override
    public boolean claimMrn(PatientId patientId, Mrn mrn) {
        if (patients.containsKey(patientId)) {
            throw new IllegalStateException("duplicate key: patient " + patientId);
        }
        if (patients.values().stream().anyMatch(p -> p.mrn().equals(mrn))) {
            return false;
        }
        patients.put(patientId, new Row(mrn, PatientStatus.ACTIVE));
        return true;
    }

    @Override
    public Optional<PatientStatus> statusOf(PatientId patientId) {
        return Optional.ofNullable(patients.get(patientId)).map(Row::status);
    }

    @Override
    public Optional<PatientStatus> lockForMerge(PatientId merged, PatientId survivor) {
        return statusOf(survivor);
    }

    @Override
    public void changeStatus(PatientId patientId, PatientStatus status) {
        patients.computeIfPresent(patientId, (id, row) -> new Row(row.mrn(), status));
    }

    /** A patient known before the test, for the rules of other records. */
    public InMemoryPatientRegistry with(PatientId patientId, PatientStatus status) {
        patients.put(patientId, new Row(new Mrn("MRN-" + patientId), status));
        return this;
    }

    public Optional<Mrn> mrnOf(PatientId patientId) {
        return Optional.ofNullable(patients.get(patientId)).map(Row::mrn);
    }

    public int size() {
        return patients.size();
    }
}
