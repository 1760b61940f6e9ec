package org.clinical.command.tenant;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The tenant registry as a map: its key plays the registry's primary key on the tenant id. */
public class InMemoryTenantRegistration implements TenantRegistration {

    public record Entry(String name, String region, Instant createdAt) {
    }

    private final Map<String, Entry> tenants = new HashMap<>();

    @Override
    public boolean register(String tenantId, String name, String region, Instant createdAt) {
        return tenants.putIfAbsent(tenantId, new Entry(name, region, createdAt)) == null;
    }

    public Entry get(String tenantId) {
        return tenants.get(tenantId);
    }

    public int size() {
        return tenants.size();
    }
}
