package org.clinical.command.tenant.jdbc;

import org.clinical.command.tenant.TenantRegistration;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantRegistry;

import java.time.Instant;

public class JdbcTenantRegistration implements TenantRegistration {

    private final TenantRegistry registry;

    public JdbcTenantRegistration(TenantRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean register(String tenantId, String name, String region, Instant createdAt) {
        return registry.insert(new Tenant(tenantId, name, region, createdAt));
    }
}
