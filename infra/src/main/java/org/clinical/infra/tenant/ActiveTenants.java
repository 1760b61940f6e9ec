package org.clinical.infra.tenant;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered tenants this node has activated, in memory: routing a message to its tenant's components must
 * not query. A tenant being created is first only "opening": its command bus and event store may store its
 * first event ({@link #requireKnown}), while requests and processors do not see it ({@link #find}) until it is
 * active. Requests wait for more: a tenant is {@link #findReady ready} once every component has it (read-model
 * schemas, processors), so that a request never meets a tenant half set up.
 */
public class ActiveTenants {

    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, Tenant> opening = new ConcurrentHashMap<>();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();

    public Optional<Tenant> find(String tenantId) {
        return Optional.ofNullable(tenantId == null ? null : tenants.get(tenantId));
    }

    /** An active tenant whose every component is set up: what requests may use. */
    public Optional<Tenant> findReady(String tenantId) {
        return tenantId != null && ready.contains(tenantId) ? find(tenantId) : Optional.empty();
    }

    public Tenant require(String tenantId) {
        return find(tenantId).orElseThrow(() -> new UnknownTenantException(tenantId));
    }

    public List<Tenant> all() {
        return List.copyOf(tenants.values());
    }

    /** An active tenant, or one being created: for the parts that store a tenant's first event. */
    public Tenant requireKnown(String tenantId) {
        Tenant tenant = tenantId == null ? null : opening.get(tenantId);
        return tenant != null ? tenant : require(tenantId);
    }

    void open(Tenant tenant) {
        opening.put(tenant.id(), tenant);
    }

    void forget(String tenantId) {
        opening.remove(tenantId);
    }

    void withdraw(String tenantId) {
        ready.remove(tenantId);
        tenants.remove(tenantId);
    }

    void ready(String tenantId) {
        ready.add(tenantId);
    }

    void put(Tenant tenant) {
        tenants.put(tenant.id(), tenant);
        opening.remove(tenant.id());
    }
}
