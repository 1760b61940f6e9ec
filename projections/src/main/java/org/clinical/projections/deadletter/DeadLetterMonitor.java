package org.clinical.projections.deadletter;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.ActiveTenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Dead letters as monitoring sees them, counted every {@link #INTERVAL} from the database (so every instance
 * reports the same figures): the gauge {@value #METRIC}{@code {tenant, projection}}, and the health contributor
 * {@code deadLetters}, which stays UP (a projection with dead letters still serves everything else: the
 * platform is degraded, not down) with {@code degraded: true} and the counts as details. A warning is logged
 * when the total changes while letters exist. Projections' rebuild letters ({@code -rebuild}) are left out.
 */
public class DeadLetterMonitor implements HealthIndicator, AutoCloseable {

    public static final String METRIC = "clinical.projection.dead_letters";
    static final Duration INTERVAL = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(DeadLetterMonitor.class);

    private final DeadLetters deadLetters;
    private final ActiveTenants tenants;
    private final MultiGauge gauge;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dead-letter-monitor").daemon().factory());
    private volatile Map<String, Long> counts = Map.of();

    public DeadLetterMonitor(DeadLetters deadLetters, ActiveTenants tenants, MeterRegistry registry) {
        this.deadLetters = deadLetters;
        this.tenants = tenants;
        this.gauge = MultiGauge.builder(METRIC)
                .description("Events a projection set aside because it could not apply them")
                .register(registry);
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts every tenant's letters again; the gauge rows follow (a projection without letters shows 0). */
    public synchronized void refresh() {
        Map<String, Long> fresh = new TreeMap<>();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Tenant tenant : tenants.all()) {
            Map<String, Long> ofTenant = countsOf(tenant);
            for (String projection : deadLetters.projections()) {
                long count = ofTenant.getOrDefault(projection, 0L);
                rows.add(MultiGauge.Row.of(Tags.of("tenant", tenant.id(), "projection", projection), count));
                if (count > 0) {
                    fresh.put(tenant.id() + "/" + projection, count);
                }
            }
        }
        gauge.register(rows, true);
        long before = total(counts);
        long after = total(fresh);
        if (after > 0 && after != before) {
            log.warn("Projections hold {} dead letters: {}", after, fresh);
        }
        counts = Map.copyOf(fresh);
    }

    @Override
    public Health health() {
        Map<String, Long> now = counts;
        return Health.up().withDetail("degraded", !now.isEmpty()).withDetail("deadLetters", now).build();
    }

    private Map<String, Long> countsOf(Tenant tenant) {
        try {
            return deadLetters.counts(tenant);
        } catch (RuntimeException e) {
            log.warn("Counting the dead letters of tenant {} failed: {}", tenant.id(), e.getClass().getName());
            return Map.of();
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("Counting dead letters failed: {}", e.getClass().getName());
        }
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
