package org.clinical.infra.security;

import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantDirectory;
import org.clinical.infra.tenant.UnknownTenantException;

/**
 * Whether the caller may touch a tenant. A tenant the token may not touch is answered exactly like one
 * that does not exist (404), so a token never learns which other tenants there are.
 */
public class TenantAccess {

    private final TenantDirectory directory;

    public TenantAccess(TenantDirectory directory) {
        this.directory = directory;
    }

    public Tenant require(String tenantId) {
        if (!Tenant.isValidId(tenantId) || !Caller.current().mayTouchTenant(tenantId)) {
            throw new UnknownTenantException(tenantId);
        }
        return directory.require(tenantId);
    }
}
