package org.clinical.infra.tenant;

import org.clinical.infra.command.CommandMetadata;
import org.clinical.infra.region.Regions;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * JDBC on the tenant of the command being handled: its region's database (joining the command's
 * transaction) and its schema-qualified tables.
 */
public class TenantJdbc {

    private final ActiveTenants tenants;
    private final Regions regions;

    public TenantJdbc(ActiveTenants tenants, Regions regions) {
        this.tenants = tenants;
        this.regions = regions;
    }

    public JdbcTemplate jdbc() {
        return jdbc(current());
    }

    public JdbcTemplate jdbc(Tenant tenant) {
        return regions.region(tenant.region()).jdbc();
    }

    /** A table of the current tenant, schema-qualified: {@code t_acme.patient_registry}. */
    public String table(String name) {
        return current().schema() + "." + name;
    }

    public Tenant current() {
        return tenants.require(CommandMetadata.currentTenant());
    }
}
