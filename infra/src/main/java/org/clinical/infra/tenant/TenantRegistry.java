package org.clinical.infra.tenant;

import org.clinical.infra.region.Regions;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/**
 * The tenants of each region, kept in the region's own database ({@code clinical_platform.tenant}), so that
 * nothing about a tenant leaves its region and the list survives restarts. A row is written in the same
 * transaction as the tenant's {@code TenantCreated} event.
 */
public class TenantRegistry {

    private final Regions regions;

    public TenantRegistry(Regions regions) {
        this.regions = regions;
    }

    private static final String SELECT = "select id, name, region, created_at from clinical_platform.tenant";

    public List<Tenant> all() {
        return regions.names().stream().flatMap(region -> jdbc(region).query(SELECT + " order by id",
                TenantRegistry::tenant).stream()).toList();
    }

    /** @return false when a tenant with that id is already registered */
    public boolean insert(Tenant tenant) {
        return jdbc(tenant.region()).update("""
                insert into clinical_platform.tenant (id, name, region, created_at) values (?, ?, ?, ?)
                on conflict (id) do nothing""",
                tenant.id(), tenant.name(), tenant.region(), Timestamp.from(tenant.createdAt())) == 1;
    }

    public Optional<Tenant> find(String tenantId) {
        return regions.names().stream().flatMap(region -> jdbc(region).query(SELECT + " where id = ?",
                TenantRegistry::tenant, tenantId).stream()).findFirst();
    }

    public boolean exists(String tenantId) {
        return find(tenantId).isPresent();
    }

    private static Tenant tenant(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant());
    }

    private JdbcTemplate jdbc(String region) {
        return regions.region(region).jdbc();
    }

}
