package org.clinical.command.tenant;

import java.time.Instant;

/**
 * Adds a tenant to the tenant registry ({@code clinical_platform.tenant} of its region), in the same
 * transaction as its {@code TenantCreated}.
 */
public interface TenantRegistration {

    /** @return false when the id is taken */
    boolean register(String tenantId, String name, String region, Instant createdAt);
}
