package org.clinical.events.tenant;

import org.axonframework.serialization.Revision;

import java.time.Instant;

/** Events of a tenant: a hospital organization whose data lives in its own event store. */
public sealed interface TenantEvent {

    String tenantId();

    @Revision("1")
    record TenantCreated(String tenantId, String name, String region, Instant createdAt) implements TenantEvent {
    }
}
