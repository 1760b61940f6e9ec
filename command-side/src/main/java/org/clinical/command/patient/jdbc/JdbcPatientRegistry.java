package org.clinical.command.patient.jdbc;

import org.clinical.command.patient.PatientRegistry;
import org.clinical.command.patient.PatientStatus;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientId;
import org.clinical.infra.tenant.TenantJdbc;

import java.util.Optional;

public class JdbcPatientRegistry implements PatientRegistry {

    private final TenantJdbc tenant;

    public JdbcPatientRegistry(TenantJdbc tenant) {
        this.tenant = tenant;
    }

    @Override
    public boolean claimMrn(PatientId patientId, Mrn mrn) {
        return tenant.jdbc().update("insert into " + tenant.table("patient_registry")
                        + " (patient_id, mrn, status) values (?, ?, 'active') on conflict (mrn) do nothing",
                patientId.value(), mrn.value()) == 1;
    }

    @Override
    public Optional<PatientStatus> statusOf(PatientId patientId) {
        return tenant.jdbc().query("select status from " + tenant.table("patient_registry")
                        + " where patient_id = ? for share",
                (rs, i) -> PatientStatus.valueOf(rs.getString(1).toUpperCase()), patientId.value()).stream().findFirst();
    }

    @Override
    public Optional<PatientStatus> lockForMerge(PatientId merged, PatientId survivor) {
        return tenant.jdbc().query("select patient_id, status from " + tenant.table("patient_registry")
                                + " where patient_id in (?, ?) order by patient_id for update",
                        (rs, i) -> rs.getObject(1, java.util.UUID.class).equals(survivor.value())
                                ? PatientStatus.valueOf(rs.getString(2).toUpperCase()) : null,
                        merged.value(), survivor.value()).stream()
                .filter(java.util.Objects::nonNull).findFirst();
    }

    @Override
    public void changeStatus(PatientId patientId, PatientStatus status) {
        tenant.jdbc().update("update " + tenant.table("patient_registry") + " set status = ? where patient_id = ?",
                status.code(), patientId.value());
    }
}
