package org.clinical.command.tenant.jdbc;

import org.clinical.command.tenant.TenantCatalog;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantRegistry;

import java.time.Instant;

public class RegistryTenantCatalog implements TenantCatalog {

    private final TenantRegistry registry;

    public RegistryTenantCatalog(TenantRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean add(String tenantId, String name, String region, Instant createdAt) {
        return registry.insert(new Tenant(tenantId, name, region, createdAt));
    }
}
