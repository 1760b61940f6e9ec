package org.clinical.infra.kafka.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.Registration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.multitenancy.components.MultiTenantAwareComponent;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.clinical.infra.eventstore.StreamHead;
import org.clinical.infra.eventstore.TenantEventStores;
import org.clinical.infra.kafka.KafkaClients;
import org.clinical.infra.kafka.KafkaProperties;
import org.clinical.infra.processing.StoredTokens;
import org.clinical.infra.processing.TenantProcessors;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.infra.tenant.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Publishes every event of every tenant to its topic {@code clinical.<tenant>.events}: one {@link TenantPublisher}
 * per active tenant, started when the tenant is activated (at start-up, or at once when it is created), all on a
 * few shared threads. Its lag per tenant is a metric ({@code clinical.kafka.publisher.lag.events} and
 * {@code .lag.seconds}, tag {@code tenant}) and part of {@code GET .../projections} ({@link #status}).
 */
public class KafkaPublishers implements MultiTenantAwareComponent, Ordered, SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaPublishers.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** How long a lag measured for the metrics is reused: each measurement is two indexed queries. */
    private static final Duration LAG_REUSE = Duration.ofSeconds(1);

    private final KafkaProperties.Publisher settings;
    private final KafkaClients clients;
    private final TenantEventStores eventStores;
    private final TenantProcessors processors;
    private final ActiveTenants tenants;
    private final Regions regions;
    private final Serializer serializer;
    private final MeterRegistry meters;
    private final Topics topics;
    private final EventRecords records;
    private final ScheduledExecutorService executor;
    private final Map<String, TenantPublisher> publishers = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> tenantMeters = new ConcurrentHashMap<>();
    private final Map<String, Measured> lags = new ConcurrentHashMap<>();
    private volatile boolean running;

    public KafkaPublishers(KafkaProperties kafka, KafkaClients clients, TenantEventStores eventStores,
                           TenantProcessors processors, ActiveTenants tenants, Regions regions, ObjectMapper json,
                           Serializer serializer, MeterRegistry meters) {
        this.settings = kafka.publisher();
        this.clients = clients;
        this.eventStores = eventStores;
        this.processors = processors;
        this.tenants = tenants;
        this.regions = regions;
        this.serializer = serializer;
        this.meters = meters;
        this.topics = new Topics(clients, kafka);
        this.records = new EventRecords(json);
        this.executor = Executors.newScheduledThreadPool(settings.threads(),
                Thread.ofPlatform().name("kafka-publisher-", 0).daemon().factory());
    }

    /** The topic of a tenant's events. */
    public static String topic(String tenantId) {
        return Topics.of(tenantId);
    }

    @Override
    public Registration registerAndStartTenant(TenantDescriptor descriptor) {
        String tenantId = descriptor.tenantId();
        if (!settings.enabled()) {
            return () -> true;
        }
        start(tenantId);
        registerMeters(tenantId);
        return () -> {
            stop(tenantId);
            List<Meter> gone = tenantMeters.remove(tenantId);
            if (gone != null) {
                gone.forEach(meters::remove);
            }
            return true;
        };
    }

    @Override
    public Registration registerTenant(TenantDescriptor tenant) {
        return registerAndStartTenant(tenant);
    }

    /**
     * Starts publishing the tenant's events on this instance (if another one holds the tenant's claim, this one
     * waits for it). Does nothing while it publishes already.
     */
    public void start(String tenantId) {
        Tenant tenant = tenants.require(tenantId);
        Regions.Region region = regions.region(tenant.region());
        Counter published = Counter.builder("clinical.kafka.publisher.events")
                .description("Events the broker acknowledged and the publisher committed")
                .tag("tenant", tenantId).register(meters);
        TenantPublisher publisher = new TenantPublisher(tenant, processors.tokenStore(tenantId),
                new SpringTransactionManager(region.transactionManager()), () -> eventStores.eventSource(tenantId),
                region.jdbc(), clients, settings, topics, records, executor, published::increment);
        if (publishers.putIfAbsent(tenantId, publisher) == null) {
            publisher.start();
        }
    }

    /**
     * Stops publishing the tenant's events on this instance, as a crash would for the batch in flight (it is
     * sent again from the stored position by the next publisher), and releases the tenant's claim.
     */
    public void stop(String tenantId) {
        TenantPublisher publisher = publishers.remove(tenantId);
        if (publisher != null) {
            publisher.stop(STOP_TIMEOUT);
        }
    }

    /** The tenant's publisher as the database shows it, with this instance's failure if it publishes it. */
    public PublisherStatus status(Tenant tenant) {
        JdbcTemplate jdbc = regions.region(tenant.region()).queryJdbc();
        TrackingToken token = StoredTokens.read(jdbc, serializer, tenant, TenantPublisher.NAME);
        long position = token == null ? -1 : token.position().orElse(-1);
        long head = StreamHead.of(jdbc, tenant);
        double lagSeconds = 0;
        if (head > position) {
            String oldest = jdbc.query("select time_stamp from " + tenant.schema() + ".domain_event_entry"
                    + " where global_index > ? order by global_index limit 1",
                    rs -> rs.next() ? rs.getString(1) : null, position);
            if (oldest != null) {
                lagSeconds = Math.max(0, Duration.between(Instant.parse(oldest), Instant.now()).toMillis()) / 1000.0;
            }
        }
        TenantPublisher publisher = publishers.get(tenant.id());
        return new PublisherStatus("kafka", topic(tenant.id()), position, head, Math.max(0, head - position),
                lagSeconds, publisher == null ? null : publisher.lastError());
    }

    /** Whether publishing is on at all ({@code clinical.kafka.publisher.enabled}). */
    public boolean enabled() {
        return settings.enabled();
    }

    private void registerMeters(String tenantId) {
        List<Meter> registered = new ArrayList<>();
        registered.add(Gauge.builder("clinical.kafka.publisher.lag.events", () -> lag(tenantId).map(PublisherStatus::lag)
                        .orElse(0L))
                .description("Events stored but not yet acknowledged by Kafka").tag("tenant", tenantId)
                .register(meters));
        registered.add(Gauge.builder("clinical.kafka.publisher.lag.seconds", () -> lag(tenantId)
                        .map(PublisherStatus::lagSeconds).orElse(0.0))
                .description("How long the oldest event not yet published has waited").baseUnit("seconds")
                .tag("tenant", tenantId).register(meters));
        tenantMeters.put(tenantId, registered);
    }

    private Optional<PublisherStatus> lag(String tenantId) {
        Measured measured = lags.get(tenantId);
        if (measured != null && Duration.between(measured.at(), Instant.now()).compareTo(LAG_REUSE) < 0) {
            return Optional.of(measured.status());
        }
        Optional<Tenant> tenant = tenants.find(tenantId);
        if (tenant.isEmpty()) {
            return Optional.empty();
        }
        try {
            PublisherStatus status = status(tenant.get());
            lags.put(tenantId, new Measured(status, Instant.now()));
            return Optional.of(status);
        } catch (RuntimeException e) {
            log.debug("Tenant {}: the publisher's lag could not be measured now", tenantId);
            return Optional.ofNullable(measured).map(Measured::status);
        }
    }

    private record Measured(PublisherStatus status, Instant at) {
    }

    /** Activated after the event store, whose tenant segment it reads. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Stops every tenant's publisher in parallel, before the event stores and the broker go: a thread of its own
     * for each (the common pool has one thread on two cores, and a stop may wait for a step or for a connection
     * to release its claim), so the whole stop takes as long as the slowest tenant's.
     */
    @Override
    public void stop() {
        running = false;
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String tenantId : List.copyOf(publishers.keySet())) {
                stopping.execute(() -> stop(tenantId));
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        topics.close();
    }
}
