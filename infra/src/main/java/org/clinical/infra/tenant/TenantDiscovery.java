package org.clinical.infra.tenant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Activates, every 30 s, the registered tenants this instance has not activated yet: those created on another
 * instance since this one started. Without it such a tenant would come to life here only at its first request,
 * and if the instance that created it died, nobody would take over its processors and its Kafka publisher (their
 * token claims) until a request came. Activating a tenant that is active already does nothing.
 */
public class TenantDiscovery {

    private static final Logger log = LoggerFactory.getLogger(TenantDiscovery.class);

    private final TenantRegistry registry;
    private final ActiveTenants active;
    private final TenantActivation activation;

    public TenantDiscovery(TenantRegistry registry, ActiveTenants active, TenantActivation activation) {
        this.registry = registry;
        this.active = active;
        this.activation = activation;
    }

    @Scheduled(initialDelayString = "PT30S", fixedDelayString = "PT30S")
    public void activateNewTenants() {
        try {
            for (Tenant tenant : registry.all()) {
                if (active.find(tenant.id()).isEmpty()) {
                    activation.activate(tenant);
                }
            }
        } catch (RuntimeException e) {
            // the database away: the next round tries again (the class only: a message can quote SQL)
            log.warn("Could not look for tenants created on other instances ({}); trying again in 30 s",
                    e.getClass().getName());
        }
    }
}
