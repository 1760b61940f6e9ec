package org.clinical.command.tenant;

import java.time.Instant;

/** Where tenants are listed, written in the same transaction as their {@code TenantCreated}. */
public interface TenantCatalog {

    /** @return false when the id is taken */
    boolean add(String tenantId, String name, String region, Instant createdAt);
}
