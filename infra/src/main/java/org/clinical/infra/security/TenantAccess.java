package org.clinical.infra.security;

import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantActivation;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.infra.tenant.TenantRegistry;
import org.clinical.infra.tenant.UnknownTenantException;

/**
 * Whether the caller may touch a tenant. A tenant the token may not touch is answered exactly like one
 * that does not exist (404), so a token never learns which other tenants there are. A tenant this instance
 * does not serve yet but the registry knows (created on another instance) is activated here on its first
 * request; only such misses query the registry.
 */
public class TenantAccess {

    private final ActiveTenants active;
    private final TenantRegistry registry;
    private final TenantActivation activation;

    public TenantAccess(ActiveTenants active, TenantRegistry registry, TenantActivation activation) {
        this.active = active;
        this.registry = registry;
        this.activation = activation;
    }

    public Tenant require(String tenantId) {
        if (!Tenant.isValidId(tenantId) || !Caller.current().mayTouchTenant(tenantId)) {
            throw new UnknownTenantException(tenantId);
        }
        return active.findReady(tenantId).orElseGet(() -> activateRegistered(tenantId));
    }

    private Tenant activateRegistered(String tenantId) {
        Tenant tenant = registry.find(tenantId).orElseThrow(() -> new UnknownTenantException(tenantId));
        activation.activate(tenant);
        return tenant;
    }
}
