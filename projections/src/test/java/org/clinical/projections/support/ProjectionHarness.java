package org.clinical.projections.support;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.multitenancy.components.TenantDescriptor;
import org.axonframework.extensions.multitenancy.components.eventstore.MultiTenantEventStore;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.clinical.events.encounter.EncounterEvent;
import org.clinical.events.facility.FacilityEvent;
import org.clinical.events.observation.ObservationEvent;
import org.clinical.events.patient.PatientEvent;
import org.clinical.events.tenant.TenantEvent;
import org.clinical.infra.command.CommandMetadata;
import org.clinical.infra.config.ClinicalProperties;
import org.clinical.infra.eventstore.ClinicalSerializer;
import org.clinical.infra.eventstore.PatientRegisteredUpcaster;
import org.clinical.infra.eventstore.TailingEventSource;
import org.clinical.infra.eventstore.TenantEventStores;
import org.clinical.infra.processing.CarefulMode;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantActivation;
import org.clinical.infra.tenant.TenantSchemas;
import org.clinical.projections.readmodel.Generations;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.Projection.ProjectionSupport;
import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelChanges;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * One projection run for real against PostgreSQL, without the command side, HTTP or a Spring context. Each
 * harness has a tenant of its own in the run's database ({@link TestDatabase}), activated the real way
 * ({@link TenantActivation}: Flyway migrates its schema with the migrations this module sees, then
 * {@link Generations} makes the projection's first generation). Events are appended to the tenant's event store ({@link TenantEventStores}, routed by their
 * {@code tenant} metadata) as a command appends them, and read back from it as the processor reads them:
 * tracked, serialized and upcast, with the aggregate identifier, sequence number and time the store keeps.
 * A batch is then handled the way Axon's pooled processor handles one: a {@link BatchingUnitOfWork} over a
 * transaction of the tenant's region, each event through an interceptor chain into Axon's
 * {@link AnnotationEventHandlerAdapter} on the projection (so its {@code @MessageHandlerInterceptor} runs, and in
 * {@link Mode#CAREFUL} writes each event in a savepoint), the writes at prepare-commit, the evictions after commit.
 *
 * <p>Chosen over a Spring context running the real {@code TenantProcessors}: here a test says what one batch
 * holds (several events of one aggregate, the same batch twice, careful mode) instead of hoping the processor
 * takes them together, and nothing waits on other threads. Left out is the processor's own part, covered end to
 * end in platform: claiming and storing the token with the rows, dead letters, retries, published positions.
 */
public final class ProjectionHarness extends ReadModelSql implements AutoCloseable {

    /** How a batch is handled. */
    public enum Mode {
        /** Written whole at the batch's commit, as live batches are. */
        BATCH,
        /** Each event written right after its handler in a savepoint, as after a failed batch. */
        CAREFUL;

        @Override
        public String toString() {
            return this == BATCH ? "handled as one batch" : "handled in careful mode";
        }
    }

    /** The platform's default {@code clinical.projections.linger}: the processors batch as they do live. */
    private static final Duration LINGER = Duration.ofMillis(10);
    private static final Instant FIRST_TIME = Instant.parse("2025-03-01T10:00:00Z");
    private static final TenantSchemas SCHEMAS = new TenantSchemas(TestDatabase.REGIONS);

    private final Tenant tenant;
    private final ActiveTenants tenants;
    private final Regions.Region region;
    private final ReadModel model;
    private final String readModel;
    private final Generations generations;
    private final TenantEventStores stores;
    private final MultiTenantEventStore eventStore;
    private final AnnotationEventHandlerAdapter handler;
    private final Map<String, Long> sequences = new HashMap<>();
    private final List<Set<String>> told = new CopyOnWriteArrayList<>();
    private TrackingToken read;
    private Instant time = FIRST_TIME;

    private ProjectionHarness(ReadModel readModel, Function<ProjectionSupport, ? extends Projection<?>> projection) {
        Regions regions = TestDatabase.REGIONS;
        this.tenants = new ActiveTenants();
        String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        this.tenant = new Tenant(id, "Hospital " + id, ClinicalProperties.DEFAULT_REGION, FIRST_TIME);
        this.region = regions.region(tenant.region());
        this.model = readModel;
        this.readModel = readModel.name();
        this.stores = new TenantEventStores(tenants, regions, ClinicalSerializer.create(),
                new EventUpcasterChain(new PatientRegisteredUpcaster()), LINGER);
        this.eventStore = MultiTenantEventStore.builder()
                .tenantSegmentFactory(stores)
                .targetTenantResolver((message, known) ->
                        TenantDescriptor.tenantWithId(CommandMetadata.tenantOf(message).orElse("")))
                .build();
        this.generations = new Generations(List.of(readModel), tenants, regions);
        new TenantActivation(SCHEMAS, tenants, List.of(eventStore, generations)).activate(tenant);
        this.handler = new AnnotationEventHandlerAdapter(
                projection.apply(new ProjectionSupport(tenants, regions, generations, new Told())));
    }

    /** A new tenant with the projection of this read model made by {@code projection}. */
    public static ProjectionHarness start(ReadModel readModel,
                                          Function<ProjectionSupport, ? extends Projection<?>> projection) {
        return new ProjectionHarness(readModel, projection);
    }

    /** The schema of the read model's live generation. */
    @Override
    public String schema() {
        return generations.liveSchema(tenant, readModel);
    }

    /** The schema of the tenant's event store. */
    public String tenantSchema() {
        return tenant.schema();
    }

    /**
     * A read of the live generation as the query side's {@code ReadModels} makes one: the region's query pool
     * and the live schema, named in SQL after the projection.
     */
    public Read read() {
        return new Read(tenant, region.queryJdbc(), Map.of(readModel, schema()));
    }

    /**
     * Registers the tenant's read model again, as the platform's next start does: its generations stay, and are
     * brought up to the code's DDL ({@link ReadModel#upgrade}).
     */
    public void registerAgain() {
        new Generations(List.of(model), tenants, TestDatabase.REGIONS)
                .registerAndStartTenant(TenantDescriptor.tenantWithId(tenant.id()));
    }

    /** The region the tenant lives in. */
    public Regions.Region region() {
        return region;
    }

    /** Events appended from now on happen at this time (until the next call). */
    public ProjectionHarness at(Instant time) {
        this.time = time;
        return this;
    }

    /** Appends the events and handles them as one batch; answers the batch. */
    public List<TrackedEventMessage<?>> apply(Object... events) {
        return apply(Mode.BATCH, events);
    }

    public List<TrackedEventMessage<?>> apply(Mode mode, Object... events) {
        List<TrackedEventMessage<?>> batch = append(events);
        handle(mode, batch);
        return batch;
    }

    /**
     * Appends the events in one transaction, as one command would, each the next of its aggregate; answers them
     * as the tenant's event store gives them back.
     */
    public List<TrackedEventMessage<?>> append(Object... events) {
        Map<String, Object> metaData = Map.of(CommandMetadata.TENANT, tenant.id(),
                CommandMetadata.ACTOR, "projection-test", CommandMetadata.CORRELATION_ID, UUID.randomUUID().toString(),
                CommandMetadata.CAUSATION_ID, UUID.randomUUID().toString());
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        for (Object event : events) {
            Aggregate aggregate = Aggregate.of(event);
            long sequence = sequences.merge(aggregate.id(), 1L, Long::sum) - 1;
            messages.add(new GenericDomainEventMessage<>(aggregate.type(), aggregate.id(), sequence, event, metaData,
                    UUID.randomUUID().toString(), time));
        }
        new TransactionTemplate(region.transactionManager()).executeWithoutResult(tx -> eventStore.publish(messages));
        List<TrackedEventMessage<?>> stored = readNew();
        if (stored.size() != events.length) {
            throw new IllegalStateException("appended " + events.length + " events, read back " + stored.size());
        }
        return stored;
    }

    /** Events appended apart (at different times, say), as one batch. */
    @SafeVarargs
    public static List<TrackedEventMessage<?>> together(List<TrackedEventMessage<?>>... appended) {
        return Arrays.stream(appended).flatMap(List::stream).toList();
    }

    public void handle(List<TrackedEventMessage<?>> batch) {
        handle(Mode.BATCH, batch);
    }

    /** Handles the events as one batch of the projection's processor; a failure rolls it back and is thrown. */
    public void handle(Mode mode, List<TrackedEventMessage<?>> batch) {
        BatchingUnitOfWork<EventMessage<?>> unit = new BatchingUnitOfWork<>(new ArrayList<>(batch));
        unit.attachTransaction(new SpringTransactionManager(region.transactionManager()));
        List<MessageHandlerInterceptor<? super EventMessage<?>>> interceptors =
                mode == Mode.CAREFUL ? List.of(CarefulMode.retrying()) : List.of();
        ResultMessage<?> result = unit.executeWithResult(
                () -> new DefaultInterceptorChain<>(unit, interceptors, handler).proceed(),
                RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            throw new IllegalStateException("the batch failed and was rolled back", result.exceptionResult());
        }
    }

    /** The patients whose cached reads the projection said were out of date, one set per committed batch. */
    public List<Set<String>> toldChanged() {
        return List.copyOf(told);
    }

    @Override
    protected JdbcTemplate jdbc() {
        return region.jdbc();
    }

    /** What the tenant's processors read. */
    public TailingEventSource eventSource() {
        return stores.eventSource(tenant.id());
    }

    @Override
    public void close() {
        stores.close();
    }

    private List<TrackedEventMessage<?>> readNew() {
        List<TrackedEventMessage<?>> events = new ArrayList<>();
        try (BlockingStream<TrackedEventMessage<?>> stream = stores.eventSource(tenant.id()).openStream(read)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                events.add(event);
                read = event.trackingToken();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return events;
    }

    /** The aggregate an event belongs to, as the command side stores it: its type and identifier. */
    private record Aggregate(String type, String id) {

        static Aggregate of(Object event) {
            return switch (event) {
                case PatientEvent e -> new Aggregate("Patient", e.patientId().toString());
                case EncounterEvent e -> new Aggregate("Encounter", e.encounterId().toString());
                case ObservationEvent e -> new Aggregate("Observation", e.observationId().toString());
                case FacilityEvent e -> new Aggregate("Facility", e.facilityId().toString());
                case TenantEvent e -> new Aggregate("Tenant", e.tenantId());
                default -> throw new IllegalArgumentException("not an event: " + event);
            };
        }
    }

    private final class Told implements ReadModelChanges {

        @Override
        public void patientsChanged(Tenant tenant, Collection<String> patientIds) {
            told.add(Set.copyOf(patientIds));
        }

        @Override
        public void rebuilt(Tenant tenant, String projection) {
            throw new UnsupportedOperationException("no rebuilds here");
        }
    }
}
