package org.clinical.projections.readmodel;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.interceptors.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.clinical.infra.command.CommandMetadata;
import org.clinical.infra.processing.CarefulMode;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantDirectory;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A projection: one processing group, run per tenant by a pooled streaming processor that commits the rows
 * of a batch and its token in one transaction. Its handlers queue writes on the batch ({@link #batch}); at
 * commit the writes run in order, then {@link #finish} does set-based work over what the batch touched, and
 * after the commit {@link #committed} evicts caches and then the processor publishes the new position
 * ({@link ProjectionPositions}, told by {@code CommittedTokens}), in that order.
 *
 * <p>In {@link CarefulMode} (after a batch failed, and when dead letters are retried) each event gets a batch
 * of its own, written with its {@link #finish} right after its handler inside a savepoint: an event the read
 * model cannot hold then fails in its handler, alone, and is dead-lettered, while the others commit.
 *
 * <p>Every event reaches the projection, those it has no handler for included, so its position always
 * follows the tenant's stream and a read waiting for a position never waits on an event the projection
 * ignores. Time in read models comes from the events, never the clock.
 */
public abstract class Projection {

    /** The UoW resource a rebuild sets: the schema of the generation it fills. */
    public static final String REPLAY_TARGET = "clinical.readmodel.replay-target";

    private final ReadModel readModel;
    private final ProjectionSupport support;
    private final String batchKey;
    private final String eventBatchKey;

    protected Projection(ReadModel readModel, ProjectionSupport support) {
        this.readModel = readModel;
        this.support = support;
        this.batchKey = "clinical.readmodel.batch." + readModel.name();
        this.eventBatchKey = batchKey + ".event";
    }

    public ReadModel readModel() {
        return readModel;
    }

    /** Caches of these patients' reads are out of date once the batch commits. */
    protected void patientsChanged(ReadModelBatch batch, java.util.Collection<String> patientIds) {
        if (!patientIds.isEmpty()) {
            support.changes().patientsChanged(batch.tenant(), patientIds);
        }
    }

    /** Set-based work at the end of a batch, over its {@link ReadModelBatch#touched} keys. */
    protected void finish(ReadModelBatch batch) {
    }

    /** After the batch committed (live generation only): evict or refresh caches of what it touched. */
    protected void committed(ReadModelBatch batch) {
    }

    /**
     * Events this projection does not read still move its position. The message alone, not its payload: an
     * ignored event is never deserialized (a rebuild passes every event of the tenant through every projection).
     */
    @EventHandler
    void onAnyOtherEvent(EventMessage<?> message) {
        batch(message);
    }

    /**
     * In careful mode, the event's writes and {@link #finish} run as soon as its handler returns, in a savepoint
     * of the batch's transaction: a failure rolls back to it and is thrown from here, to the dead-lettering
     * invoker; on success the event's touched keys and after-commit actions join the batch's.
     */
    @MessageHandlerInterceptor(messageType = EventMessage.class)
    Object applyAlone(EventMessage<?> message, InterceptorChain chain) throws Exception {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        if (!CarefulMode.isCareful(root)) {
            return proceed(chain);
        }
        root.resources().put(eventBatchKey, Boolean.FALSE);
        Object result;
        ReadModelBatch single;
        try {
            result = proceed(chain);
        } finally {
            single = root.getResource(eventBatchKey) instanceof ReadModelBatch b ? b : null;
            root.resources().remove(eventBatchKey);
        }
        if (single != null && !single.isEmpty()) {
            TransactionTemplate savepoint = new TransactionTemplate(
                    support.regions().region(single.tenant().region()).transactionManager());
            savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
            savepoint.executeWithoutResult(status -> write(single));
            ReadModelBatch batch = root.getResource(batchKey);
            batch.absorb(single);
        }
        return result;
    }

    /**
     * A handler's {@link Error} (a stack overflow on a deep payload, a class that failed to initialize, an
     * assertion) becomes an exception: Axon's dead-lettering invoker and its worker only catch exceptions, so
     * an error would stall the processor without a word instead of failing the batch and being set aside.
     */
    private static Object proceed(InterceptorChain chain) throws Exception {
        try {
            return chain.proceed();
        } catch (StackOverflowError | LinkageError | AssertionError e) {
            throw new IllegalStateException("event handler failed with " + e.getClass().getName(), e);
        }
    }

    /** The batch the current event belongs to, created (and hooked to the commit) with its first event. */
    protected ReadModelBatch batch(EventMessage<?> message) {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        UnitOfWork<?> root = unitOfWork.root();
        ReadModelBatch batch = root.getResource(batchKey);
        if (batch == null) {
            batch = open(message, root);
            root.resources().put(batchKey, batch);
        }
        Object single = root.getResource(eventBatchKey);
        if (single instanceof ReadModelBatch event) {
            return event;
        }
        if (single != null) {
            ReadModelBatch event = batch.forOneEvent();
            root.resources().put(eventBatchKey, event);
            return event;
        }
        return batch;
    }

    private ReadModelBatch open(EventMessage<?> message, UnitOfWork<?> root) {
        Tenant tenant = support.tenants().require((String) message.getMetaData().get(CommandMetadata.TENANT));
        String target = root.getResource(REPLAY_TARGET);
        boolean replay = target != null;
        boolean careful = CarefulMode.isCareful(root);
        String schema = replay ? target : support.generations().liveSchema(tenant, readModel.name());
        ReadModelBatch batch = new ReadModelBatch(tenant, schema, support.regions().region(tenant.region()).jdbc(),
                replay);
        root.onPrepareCommit(u -> {
            if (!careful) {
                write(batch);
            }
        });
        root.afterCommit(u -> {
            batch.committed();
            if (!replay) {
                committed(batch);
            }
        });
        return batch;
    }

    /**
     * The batch's writes in order, then {@link #finish} and its writes. Read-model writes always go by key: a
     * fresh generation's tables have no statistics yet, and the planner would scan them whole for
     * "id = any(?)" at every batch: quadratic during a rebuild.
     */
    private void write(ReadModelBatch batch) {
        batch.jdbc().execute("set local enable_seqscan = off");
        batch.flush();
        finish(batch);
        batch.flush();
    }

    /** What every projection needs, in one bean. */
    public record ProjectionSupport(TenantDirectory tenants, Regions regions, Generations generations,
                                    ProjectionPositions positions, ReadModelChanges changes) {
    }
}
