package org.clinical.command.encounter;

import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;

/** Encounters of the tenant: who they belong to and whether they are open, for other records' rules. */
public interface EncounterRegistry {

    boolean hasOpenInpatientStay(PatientId patientId);

    void add(EncounterId encounterId, PatientId patientId, FacilityId facilityId, EncounterClass encounterClass);

    void changeStatus(EncounterId encounterId, EncounterStatus status);
}
