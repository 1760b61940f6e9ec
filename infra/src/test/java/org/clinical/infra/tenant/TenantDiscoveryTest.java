package org.clinical.infra.tenant;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import java.time.Instant;
import java.util.List;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Tenants created on another instance are activated here by the periodic look at the registry; the rest is left. */
class TenantDiscoveryTest {

    private final TenantRegistry registry = mock(TenantRegistry.class);
    private final TenantActivation activation = mock(TenantActivation.class);
    private final ActiveTenants active = new ActiveTenants();

    @Test
    void activatesOnlyTheRegisteredTenantsThisInstanceDoesNotServe() {
        Tenant known = new Tenant("north-general", "North General", "default", Instant.EPOCH);
        Tenant created = new Tenant("south-general", "South General", "default", Instant.EPOCH);
        active.put(known);
        when(registry.all()).thenReturn(List.of(known, created));

        new TenantDiscovery(registry, active, activation).activateNewTenants();

        verify(activation).activate(created);
        verify(activation, never()).activate(known);
    }

    @Test
    void aRegistryThatCannotBeReadIsTriedAgainNextTime() {
        when(registry.all()).thenThrow(new DataAccessResourceFailureException("database away"));

        new TenantDiscovery(registry, active, activation).activateNewTenants();

        verify(activation, never()).activate(any());
    }
}
