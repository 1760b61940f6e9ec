package org.clinical.infra.processing;

import org.axonframework.common.Registration;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.DeadLetteringEventHandlerInvoker;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.infra.eventstore.TenantEventStores;
import org.axonframework.extensions.multitenancy.components.MultiTenantAwareComponent;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.axonframework.extensions.multitenancy.components.eventhandeling.MultiTenantEventProcessor;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.ActiveTenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every processing group runs as one pooled streaming processor per tenant: it reads the tenant's own event
 * store, keeps its token in the tenant's {@code token_entry}, and handles each batch in one transaction of the
 * tenant's region database, so read-model rows and the token commit together (exactly-once effect). A failing
 * handler stops and retries its batch ({@link PropagatingErrorHandler}) when the failure is transient; an event
 * that cannot be applied is set aside in the tenant's dead-letter queue of the group (Axon's
 * {@link DeadLetteringEventHandlerInvoker}, {@link DeadLetterPolicy}), later events of its aggregate queue behind
 * it, and the processor goes on; after a batch failed, its events are taken again in {@link CarefulMode} so a
 * failure at commit is pinned on its one event. Nothing is skipped silently. Processors are
 * registered with Axon as its default processor factory; tenants are added to every processor as they are
 * activated, at start-up or at runtime. All tenants share a few coordinator and worker threads.
 */
public class TenantProcessors implements MultiTenantAwareComponent, Ordered, SmartLifecycle, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TenantProcessors.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** At most this many events per transaction; live processors take what is there, so it costs no latency. */
    private static final int LIVE_BATCH_SIZE = 1000;
    /**
     * How soon a processor takes its segment again after a failed batch (a lost connection, the first attempt
     * of an event that will be dead-lettered): 2 s instead of Axon's 5 s, so a projection is back within a few
     * seconds of the database. It costs one look at {@code token_entry} per processor every 2 s.
     */
    private static final Duration TOKEN_CLAIM_INTERVAL = Duration.ofSeconds(2);

    private final TenantEventStores eventSources;
    private final ActiveTenants tenants;
    private final Regions regions;
    private final Serializer serializer;
    private final DeadLettering deadLettering;
    private final List<MultiTenantEventProcessor> processors = new CopyOnWriteArrayList<>();
    private final Map<String, EventHandlerInvoker> handlersByGroup = new ConcurrentHashMap<>();
    private final Set<TenantDescriptor> active = ConcurrentHashMap.newKeySet();
    private final List<CommittedTokens.Listener> commitListeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    /**
     * Single-threaded on purpose: Axon's coordinator can lose a stop request when two threads run the same
     * coordinator at once (the second run returns at once on its processing gate, and the first may then wait
     * for events that never come), so {@code shutdownAsync()} would never complete. Each processor is bound to
     * one of these single threads.
     */
    private final List<ScheduledExecutorService> coordinators = List.of(coordinatorThread(0), coordinatorThread(1));
    private final ScheduledExecutorService workers = Executors.newScheduledThreadPool(4,
            Thread.ofPlatform().name("projection-worker-", 0).daemon().factory());

    public TenantProcessors(TenantEventStores eventSources, ActiveTenants tenants, Regions regions,
                            Serializer serializer) {
        this.eventSources = eventSources;
        this.tenants = tenants;
        this.regions = regions;
        this.serializer = serializer;
        this.deadLettering = new DeadLettering(serializer);
    }

    /** Axon's {@code EventProcessorBuilder}: the processor of one processing group, for every tenant. */
    public synchronized EventProcessor build(String name, Configuration configuration, EventHandlerInvoker handlers) {
        MultiTenantEventProcessor processor = MultiTenantEventProcessor.builder()
                .name(name)
                .tenantSegmentFactory(tenant -> forTenant(name, handlers, tenant))
                .build();
        processors.add(processor);
        handlersByGroup.put(name, handlers);
        active.forEach(processor::registerAndStartTenant);
        return processor;
    }

    /** Told the token of every batch a tenant's processor commits (live and rebuild processors alike). */
    public void onCommit(CommittedTokens.Listener listener) {
        commitListeners.add(listener);
    }

    /** The processing groups, by name. */
    public Set<String> groups() {
        return Set.copyOf(handlersByGroup.keySet());
    }

    /**
     * A processor of its own for one tenant, reading that tenant's events from the first one with the handlers
     * of {@code group}, under another name (so its token is its own). The caller starts and stops it; its
     * interceptor tells the handlers where to write.
     */
    public PooledStreamingEventProcessor replay(String group, String tenantId, String replayName, int batchSize,
                                                MessageHandlerInterceptor<? super EventMessage<?>> interceptor) {
        EventHandlerInvoker handlers = handlersByGroup.get(group);
        if (handlers == null) {
            throw new IllegalArgumentException("no processing group " + group);
        }
        PooledStreamingEventProcessor processor = processor(replayName, handlers,
                TenantDescriptor.tenantWithId(tenantId), batchSize);
        processor.registerHandlerInterceptor(interceptor);
        return processor;
    }

    /** Stops the tenant's processor of one group and waits until it has stopped; see {@link #startLive}. */
    public void stopLive(String group, String tenantId) {
        EventProcessor live = processor(group).tenantSegments().remove(TenantDescriptor.tenantWithId(tenantId));
        if (live == null) {
            return;
        }
        try {
            live.shutdownAsync().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("Processor {} of tenant {} did not stop cleanly within {}", group, tenantId, STOP_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void startLive(String group, String tenantId) {
        processor(group).registerAndStartTenant(TenantDescriptor.tenantWithId(tenantId));
    }

    /** The token store of a tenant: its {@code token_entry} table. */
    public TokenStore tokenStore(String tenantId) {
        Tenant tenant = tenants.require(tenantId);
        return tokenStore(tenant, regions.region(tenant.region()));
    }

    private MultiTenantEventProcessor processor(String group) {
        return processors.stream().filter(p -> p.getName().equals(group)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no processing group " + group));
    }

    @Override
    public synchronized Registration registerAndStartTenant(TenantDescriptor tenant) {
        active.add(tenant);
        processors.forEach(processor -> processor.registerAndStartTenant(tenant));
        return () -> {
            active.remove(tenant);
            processors.forEach(processor -> processor.stopAndRemoveTenant(tenant));
            return true;
        };
    }

    @Override
    public Registration registerTenant(TenantDescriptor tenant) {
        return registerAndStartTenant(tenant);
    }

    /** Activated after the event store and command bus, whose tenant segment it reads. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    public List<MultiTenantEventProcessor> processors() {
        return List.copyOf(processors);
    }

    private EventProcessor forTenant(String name, EventHandlerInvoker handlers, TenantDescriptor descriptor) {
        return processor(name, handlers, descriptor, LIVE_BATCH_SIZE);
    }

    private PooledStreamingEventProcessor processor(String name, EventHandlerInvoker handlers,
                                                    TenantDescriptor descriptor, int batchSize) {
        Tenant tenant = tenants.require(descriptor.tenantId());
        Regions.Region region = regions.region(tenant.region());
        StreamableMessageSource<TrackedEventMessage<?>> source = eventSources.eventSource(tenant.id());
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name(name)
                .eventHandlerInvoker(deadLettering.processing(name, handlers, tenant, region))
                .messageSource(source)
                .tokenStore(tokenStore(tenant, region))
                .transactionManager(new SpringTransactionManager(region.transactionManager()))
                .errorHandler(PropagatingErrorHandler.instance())
                .coordinatorExecutor(coordinators.get(Math.floorMod((name + "/" + tenant.id()).hashCode(),
                        coordinators.size())))
                .workerExecutor(workers)
                .initialSegmentCount(1)
                .initialToken(StreamableMessageSource::createTailToken)
                .batchSize(batchSize)
                .tokenClaimInterval(TOKEN_CLAIM_INTERVAL.toMillis())
                .build();
        processor.registerHandlerInterceptor(new CommittedTokens(name, tenant.id(), commitListeners));
        processor.registerHandlerInterceptor(new CarefulMode());
        return processor;
    }

    /**
     * Retries the dead letters of a group of a tenant, every sequence (aggregate) listed, in that order: see
     * {@link DeadLettering#retry}. Answers how many sequences were applied entirely.
     */
    public int retryDeadLetters(String group, String tenantId, List<String> sequences) {
        EventHandlerInvoker handlers = handlersByGroup.get(group);
        if (handlers == null) {
            throw new IllegalArgumentException("no processing group " + group);
        }
        Tenant tenant = tenants.require(tenantId);
        return deadLettering.retry(group, handlers, tenant, regions.region(tenant.region()), sequences);
    }

    private TokenStore tokenStore(Tenant tenant, Regions.Region region) {
        return JdbcTokenStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(region.dataSource()))
                .schema(TokenSchema.builder()
                        .setTokenTable(tenant.schema() + ".token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .serializer(serializer)
                .contentType(byte[].class)
                .claimTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Stops every tenant's processors in parallel, before Axon's own shutdown (which would stop them one by
     * one, each waiting without bound), and waits at most {@link #STOP_TIMEOUT}. A processor that has not
     * stopped by then holds no transaction that matters: its token is only ever committed with its rows.
     */
    @Override
    public void stop() {
        running = false;
        List<CompletableFuture<Void>> stopping = processors.stream()
                .flatMap(processor -> processor.tenantSegments().values().stream())
                .map(EventProcessor::shutdownAsync)
                .toList();
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Some tenant processors did not stop within {}; leaving them to the shutdown", STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("A tenant processor failed to stop cleanly", e.getCause());
        }
        processors.forEach(processor -> processor.tenantSegments().clear());
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first: before Axon's lifecycle, which stops the processors' event sources. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    private static ScheduledExecutorService coordinatorThread(int index) {
        return Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("projection-coordinator-" + index).daemon().factory());
    }

    @Override
    public void close() {
        coordinators.forEach(ScheduledExecutorService::shutdownNow);
        workers.shutdownNow();
    }
}
