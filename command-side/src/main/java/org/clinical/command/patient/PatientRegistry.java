package org.clinical.command.patient;

import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientId;

import java.util.Optional;

/** Patients of the tenant by MRN and status: the set-based facts other records' rules depend on. */
public interface PatientRegistry {

    /** @return false when the MRN is already registered in the tenant */
    boolean claimMrn(PatientId patientId, Mrn mrn);

    Optional<PatientStatus> statusOf(PatientId patientId);

    void changeStatus(PatientId patientId, PatientStatus status);
}
