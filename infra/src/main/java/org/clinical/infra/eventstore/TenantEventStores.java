package org.clinical.infra.eventstore;

import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.axonframework.extensions.multitenancy.components.eventstore.TenantEventSegmentFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One event store per tenant: Axon's JDBC engine over the tenant's schema in its region's database. The stores
 * are not Axon lifecycle components, so this factory shuts them down (and their event-producer threads, which
 * feed the tenant's processors) when the platform stops.
 */
public class TenantEventStores implements TenantEventSegmentFactory, AutoCloseable {

    /** Events per query when processors read a tenant's stream: a rebuild replays tens of thousands per second. */
    private static final int STREAM_BATCH = 1000;

    /**
     * A gap (a position taken by a transaction not yet committed) is given up only when an event read after it
     * is older than this. It must exceed the longest a command transaction can stay open between making its
     * events and committing them, plus the clock skew between instances: the command pool bounds every
     * statement and every idle pause of a transaction ({@link Regions#STATEMENT_TIMEOUT},
     * {@link Regions#IDLE_IN_TRANSACTION_TIMEOUT}); a command's statements take milliseconds, so only a
     * transaction stalled near those limits several times over outlives ten minutes. See docs/read-side.md.
     */
    public static final Duration GAP_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Gaps further below the newest event than this are given up whatever their age (Axon's default, 10,000,
     * is passed by a dozen batches of 1,000 observations). Far above what can commit while one transaction is
     * open: ten minutes at 30,000 events/s, more than this machine's fastest measured write rate.
     */
    public static final int MAX_GAP_OFFSET = 20_000_000;

    /** Above this many gaps, each read first drops those whose next event is older than the gap timeout. */
    public static final int GAP_CLEANING_THRESHOLD = 250;

    private final List<EmbeddedEventStore> created = new CopyOnWriteArrayList<>();
    private final Map<String, TailingEventSource> sources = new ConcurrentHashMap<>();

    private final ActiveTenants tenants;
    private final Regions regions;
    private final Serializer serializer;
    private final EventUpcasterChain upcasters;
    private final Duration linger;
    /** Wakes the processors whose wake-up waits for the end of a linger ({@link TailingEventSource}). */
    private final ScheduledExecutorService lingerTimer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("processor-linger").daemon().factory());

    /** @param linger how long a processor that has read up to the newest event waits before its next read */
    public TenantEventStores(ActiveTenants tenants, Regions regions, Serializer serializer,
                             EventUpcasterChain upcasters, Duration linger) {
        this.tenants = tenants;
        this.regions = regions;
        this.serializer = serializer;
        this.upcasters = upcasters;
        this.linger = linger;
    }

    @Override
    public EventStore apply(TenantDescriptor descriptor) {
        var tenant = tenants.requireKnown(descriptor.tenantId());
        var region = regions.region(tenant.region());
        CommitSignal committed = new CommitSignal();
        TenantEventStorageEngine engine = new TenantEventStorageEngine(JdbcEventStorageEngine.builder()
                .schema(TenantEventStorageEngine.schemaFor(tenant.schema()))
                .connectionProvider(new SpringDataSourceConnectionProvider(region.dataSource()))
                .transactionManager(new SpringTransactionManager(region.transactionManager()))
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .upcasterChain(upcasters)
                .persistenceExceptionResolver(new DuplicateKeyResolver())
                .dataType(byte[].class)
                .batchSize(STREAM_BATCH)
                .gapTimeout((int) GAP_TIMEOUT.toMillis())
                .maxGapOffset(MAX_GAP_OFFSET)
                .gapCleaningThreshold(GAP_CLEANING_THRESHOLD), committed);
        sources.put(tenant.id(), new TailingEventSource(engine, committed, STREAM_BATCH, linger, lingerTimer));
        EmbeddedEventStore store = EmbeddedEventStore.builder()
                .storageEngine(engine)
                .threadFactory(Thread.ofPlatform().name("event-producer-" + tenant.id() + "-", 0).daemon().factory())
                .build();
        created.add(store);
        return store;
    }

    /** What the tenant's processors read: its events, with a wake-up at every commit. */
    public TailingEventSource eventSource(String tenantId) {
        TailingEventSource source = sources.get(tenantId);
        if (source == null) {
            throw new IllegalStateException("tenant " + tenantId + " has no event store yet");
        }
        return source;
    }

    @Override
    public void close() {
        created.forEach(EmbeddedEventStore::shutDown);
        lingerTimer.shutdownNow();
    }
}
