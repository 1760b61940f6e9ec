package org.clinical.command.facility.jdbc;

import org.clinical.command.facility.FacilityRegistry;
import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.events.facility.FacilityId;
import org.clinical.infra.tenant.TenantJdbc;

import java.sql.Timestamp;

public class JdbcFacilityRegistry implements FacilityRegistry {

    private final TenantJdbc tenant;

    public JdbcFacilityRegistry(TenantJdbc tenant) {
        this.tenant = tenant;
    }

    @Override
    public boolean add(FacilityRegistered f) {
        return tenant.jdbc().update("insert into " + tenant.table("facility_registry")
                        + " (facility_id, code, name, type, beds, registered_at) values (?, ?, ?, ?, ?, ?)"
                        + " on conflict (code) do nothing",
                f.facilityId().value(), f.code(), f.name(), f.type().name().toLowerCase(), f.beds(),
                Timestamp.from(f.registeredAt())) == 1;
    }

    @Override
    public boolean exists(FacilityId facilityId) {
        return Boolean.TRUE.equals(tenant.jdbc().queryForObject("select exists (select 1 from "
                + tenant.table("facility_registry") + " where facility_id = ?)", Boolean.class, facilityId.value()));
    }
}
