package org.clinical.command.encounter.jdbc;

import org.clinical.command.encounter.EncounterRegistry;
import org.clinical.command.encounter.EncounterStatus;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;
import org.clinical.infra.tenant.TenantJdbc;

public class JdbcEncounterRegistry implements EncounterRegistry {

    private final TenantJdbc tenant;

    public JdbcEncounterRegistry(TenantJdbc tenant) {
        this.tenant = tenant;
    }

    @Override
    public boolean hasOpenInpatientStay(PatientId patientId) {
        return Boolean.TRUE.equals(tenant.jdbc().queryForObject("select exists (select 1 from "
                        + tenant.table("encounter_registry")
                        + " where patient_id = ? and encounter_class = 'IMP' and status = 'in-progress')",
                Boolean.class, patientId.value()));
    }

    @Override
    public void add(EncounterId encounterId, PatientId patientId, FacilityId facilityId,
                    EncounterClass encounterClass) {
        tenant.jdbc().update("insert into " + tenant.table("encounter_registry")
                        + " (encounter_id, patient_id, facility_id, encounter_class, status)"
                        + " values (?, ?, ?, ?, 'in-progress')",
                encounterId.value(), patientId.value(), facilityId.value(), encounterClass.name());
    }

    @Override
    public void changeStatus(EncounterId encounterId, EncounterStatus status) {
        tenant.jdbc().update("update " + tenant.table("encounter_registry") + " set status = ? where encounter_id = ?",
                status.code(), encounterId.value());
    }
}
