package org.clinical.command.patient;

import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientId;

import java.util.Optional;

/** Patients of the tenant by MRN and status: the set-based facts other records' rules depend on. */
public interface PatientRegistry {

    /** @return false when the MRN is already registered in the tenant */
    boolean claimMrn(PatientId patientId, Mrn mrn);

    /**
     * The patient's status, held until the transaction ends: a concurrent merge or death waits, so a rule
     * decided on this status stays true when the transaction commits.
     */
    Optional<PatientStatus> statusOf(PatientId patientId);

    /**
     * Locks both records of a merge, always in the same order (so two crossing merges cannot deadlock or
     * both succeed), and answers the survivor's status.
     */
    Optional<PatientStatus> lockForMerge(PatientId merged, PatientId survivor);

    void changeStatus(PatientId patientId, PatientStatus status);
}
