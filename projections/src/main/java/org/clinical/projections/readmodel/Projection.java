package org.clinical.projections.readmodel;

import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.clinical.infra.command.CommandMetadata;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantDirectory;

/**
 * A projection: one processing group, run per tenant by a pooled streaming processor that commits the rows
 * of a batch and its token in one transaction. Its handlers queue writes on the batch ({@link #batch}); at
 * commit the writes run in order, then {@link #finish} does set-based work over what the batch touched, and
 * after the commit {@link #committed} evicts caches and the new position is published, in that order.
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

    protected Projection(ReadModel readModel, ProjectionSupport support) {
        this.readModel = readModel;
        this.support = support;
        this.batchKey = "clinical.readmodel.batch." + readModel.name();
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

    /** The batch the current event belongs to, created (and hooked to the commit) with its first event. */
    protected ReadModelBatch batch(EventMessage<?> message) {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        UnitOfWork<?> root = unitOfWork.root();
        ReadModelBatch batch = root.getResource(batchKey);
        if (batch == null) {
            batch = open(message, root);
            root.resources().put(batchKey, batch);
        }
        if (message instanceof TrackedEventMessage<?> tracked) {
            root.resources().put(batchKey + ".token", tracked.trackingToken());
        }
        return batch;
    }

    private ReadModelBatch open(EventMessage<?> message, UnitOfWork<?> root) {
        Tenant tenant = support.tenants().require((String) message.getMetaData().get(CommandMetadata.TENANT));
        String target = root.getResource(REPLAY_TARGET);
        boolean replay = target != null;
        String schema = replay ? target : support.generations().liveSchema(tenant, readModel.name());
        ReadModelBatch batch = new ReadModelBatch(tenant, schema, support.regions().region(tenant.region()).jdbc(),
                replay);
        root.onPrepareCommit(u -> {
            // Read-model writes always go by key. A fresh generation's tables have no statistics yet, and the
            // planner would scan them whole for "id = any(?)" at every batch: quadratic during a rebuild.
            batch.jdbc().execute("set local enable_seqscan = off");
            batch.flush();
            finish(batch);
            batch.flush();
        });
        root.afterCommit(u -> {
            if (!replay) {
                committed(batch);
                TrackingToken token = u.getResource(batchKey + ".token");
                if (token != null) {
                    support.positions().advance(tenant, readModel.name(), token);
                }
            }
        });
        return batch;
    }

    /** What every projection needs, in one bean. */
    public record ProjectionSupport(TenantDirectory tenants, Regions regions, Generations generations,
                                    ProjectionPositions positions, ReadModelChanges changes) {
    }
}
