package org.clinical.infra.tenant;

import org.clinical.infra.region.Regions;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

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

    public List<Tenant> all() {
        return regions.names().stream().flatMap(region -> jdbc(region).query(
                "select id, name, region, created_at from clinical_platform.tenant order by id",
                (rs, i) -> new Tenant(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant())).stream()).toList();
    }

    /** @return false when a tenant with that id is already registered */
    public boolean insert(Tenant tenant) {
        return jdbc(tenant.region()).update("""
                insert into clinical_platform.tenant (id, name, region, created_at) values (?, ?, ?, ?)
                on conflict (id) do nothing""",
                tenant.id(), tenant.name(), tenant.region(), Timestamp.from(tenant.createdAt())) == 1;
    }

    public java.util.Optional<Tenant> find(String tenantId) {
        return all().stream().filter(t -> t.id().equals(tenantId)).findFirst();
    }

    public boolean exists(String tenantId) {
        return regions.names().stream().anyMatch(region -> Boolean.TRUE.equals(jdbc(region).queryForObject(
                "select exists (select 1 from clinical_platform.tenant where id = ?)", Boolean.class, tenantId)));
    }

    private JdbcTemplate jdbc(String region) {
        return new JdbcTemplate(regions.region(region).dataSource());
    }

}
