package org.clinical.command.gateway;

import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Duration;

/** Forgets {@code Idempotency-Key}s older than the retention (48 h by default; the contract asks for 24 h). */
public class IdempotencyPurge {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyPurge.class);

    private final ActiveTenants tenants;
    private final Regions regions;
    private final IdempotencyStore store;
    private final Duration retention;

    public IdempotencyPurge(ActiveTenants tenants, Regions regions, IdempotencyStore store, Duration retention) {
        this.tenants = tenants;
        this.regions = regions;
        this.store = store;
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void purge() {
        tenants.all().forEach(tenant -> {
            int removed = store.purge(regions.region(tenant.region()).jdbc(), tenant.schema(), retention);
            if (removed > 0) {
                log.info("Forgot {} idempotency keys of tenant {}", removed, tenant.id());
            }
        });
    }
}
