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
import org.clinical.infra.tenant.ActiveTenants;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A projection: one processing group, run per tenant by a pooled streaming processor that commits the rows
 * of a batch and its token in one transaction. After the commit the batch's {@link ReadModelBatch#afterCommit}
 * actions run, the caches of the patients it changed are evicted, and then the processor publishes the new
 * position ({@link ProjectionPositions}, told by {@code CommittedTokens}), in that order.
 *
 * <p>Per-batch state, the one way: {@code S} is the projection's own class of what a batch did (by habit
 * {@code <Feature>Changes}, in the projection's package). {@link #newBatchState} makes an empty one for each
 * batch; handlers only add to it ({@link #batchState}), in memory, never reading or writing the database;
 * at the batch's commit {@link #write} turns it into SQL, set-based, on the {@link ReadModelBatch}, which
 * runs it in the transaction of the token and says which patients' caches to evict. Chosen over SQL queued
 * per event (writes and their order fixed before the batch is seen whole, and keys gathered on the side for
 * the set-based rest) and over state under string keys with unchecked casts: one typed object holds all a
 * batch knows, the writes see the whole batch, and the handlers are plain code over the events.
 *
 * <p>In {@link CarefulMode} (after a batch failed, and when dead letters are retried) each event gets a state
 * and a batch of its own, written right after its handler inside a savepoint: an event the read model cannot
 * hold then fails in its handler, alone, and is dealt with by the dead-lettering invoker, while the others
 * commit. So {@link #write} must hold for a state of any size, one event included, and anything that may only
 * happen once the transaction committed (a cache of what exists) is an {@link ReadModelBatch#afterCommit}
 * action, left behind with a rolled-back savepoint.
 *
 * <p>Every event reaches the projection, those it has no handler for included, so its position always
 * follows the tenant's stream and a read waiting for a position never waits on an event the projection
 * ignores. Time in read models comes from the events, never the clock.
 *
 * @param <S> what one batch did to the read model, gathered by the handlers
 */
public abstract class Projection<S> {

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

    /** An empty state for one batch (in careful mode, for one event). */
    protected abstract S newBatchState();

    /**
     * Writes what a batch did, at its commit (in careful mode, right after the event's handler, in its
     * savepoint): statements queued on the batch run in order when this returns; reads of the read model go
     * through {@link ReadModelBatch#jdbc} directly. Called for every batch, an empty state included.
     */
    protected abstract void write(S state, ReadModelBatch batch);

    /** The state of the current event's batch, made (and the batch hooked to the commit) with its first event. */
    protected final S batchState(EventMessage<?> message) {
        Unit unit = unit(message);
        unit.used = true;
        return unit.state;
    }

    /**
     * Events this projection does not read still move its position. The message alone, not its payload: an
     * ignored event is never deserialized (a rebuild passes every event of the tenant through every projection).
     */
    @EventHandler
    void onAnyOtherEvent(EventMessage<?> message) {
        unit(message);
    }

    /**
     * In careful mode, the event's state is written as soon as its handler returns, in a savepoint of the
     * batch's transaction: a failure rolls back to it and is thrown from here, to the dead-lettering invoker;
     * on success the event's changed patients and after-commit actions join the batch's.
     */
    @MessageHandlerInterceptor(messageType = EventMessage.class)
    Object applyAlone(EventMessage<?> message, InterceptorChain chain) throws Exception {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        if (!CarefulMode.isCareful(root)) {
            return proceed(chain);
        }
        OneEvent event = new OneEvent();
        root.resources().put(eventBatchKey, event);
        Object result;
        try {
            result = proceed(chain);
        } finally {
            root.resources().remove(eventBatchKey);
        }
        Unit single = event.unit;
        if (single != null && single.used) {
            TransactionTemplate savepoint = new TransactionTemplate(
                    support.regions().region(single.batch.tenant().region()).transactionManager());
            savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
            savepoint.executeWithoutResult(status -> write(single));
            Unit unit = root.getResource(batchKey);
            unit.batch.absorb(single.batch);
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

    /** The unit of the current event: the batch's, or in careful mode the event's own. */
    private Unit unit(EventMessage<?> message) {
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Unit unit = root.getResource(batchKey);
        if (unit == null) {
            unit = open(message, root);
            root.resources().put(batchKey, unit);
        }
        OneEvent event = root.getResource(eventBatchKey);
        if (event == null) {
            return unit;
        }
        if (event.unit == null) {
            event.unit = new Unit(unit.batch.forOneEvent());
        }
        return event.unit;
    }

    private Unit open(EventMessage<?> message, UnitOfWork<?> root) {
        Tenant tenant = support.tenants().require((String) message.getMetaData().get(CommandMetadata.TENANT));
        String target = root.getResource(REPLAY_TARGET);
        boolean replay = target != null;
        boolean careful = CarefulMode.isCareful(root);
        String schema = replay ? target : support.generations().liveSchema(tenant, readModel.name());
        Unit unit = new Unit(new ReadModelBatch(tenant, schema, support.regions().region(tenant.region()).jdbc()));
        root.onPrepareCommit(u -> {
            if (!careful) {
                write(unit);
            }
        });
        root.afterCommit(u -> {
            unit.batch.committed();
            if (!replay && !unit.batch.changedPatients().isEmpty()) {
                support.changes().patientsChanged(tenant, unit.batch.changedPatients());
            }
        });
        return unit;
    }

    /**
     * The state's writes. Read-model writes always go by key: a fresh generation's tables have no statistics
     * yet, and the planner would scan them whole for "id = any(?)" at every batch: quadratic during a rebuild.
     * The batch's commit does not wait for the WAL flush: its rows and its token commit or vanish together, so a
     * batch lost with a crash of PostgreSQL (its last fraction of a second) is only projected again from the
     * events, which are committed with the flush; the commands' commits no longer queue behind one flush per
     * projection batch.
     */
    private void write(Unit unit) {
        unit.batch.jdbc().execute("set local enable_seqscan = off; set local synchronous_commit = off");
        write(unit.state, unit.batch);
        unit.batch.flush();
    }

    /** A batch with its state; {@code used} once a handler asked for the state. */
    private final class Unit {
        final ReadModelBatch batch;
        final S state = newBatchState();
        boolean used;

        Unit(ReadModelBatch batch) {
            this.batch = batch;
        }
    }

    /** Careful mode's slot for the current event's own unit, made when its handler first asks. */
    private final class OneEvent {
        Unit unit;
    }

    /** What every projection needs, in one bean. */
    public record ProjectionSupport(ActiveTenants tenants, Regions regions, Generations generations,
                                    ReadModelChanges changes) {
    }
}
