package org.clinical.infra.tenant;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The tenants this node serves, in memory: routing a message to its tenant's components must not query. */
public class TenantDirectory {

    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();

    public Optional<Tenant> find(String tenantId) {
        return Optional.ofNullable(tenantId == null ? null : tenants.get(tenantId));
    }

    public Tenant require(String tenantId) {
        return find(tenantId).orElseThrow(() -> new UnknownTenantException(tenantId));
    }

    public List<Tenant> all() {
        return List.copyOf(tenants.values());
    }

    void put(Tenant tenant) {
        tenants.put(tenant.id(), tenant);
    }
}
