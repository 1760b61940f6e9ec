package org.clinical.projections.facility;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.facility.FacilityEvent.FacilityRegistered;
import org.clinical.infra.web.RecordVersion;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelBatch;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * The tenant's facilities as registered, for the facility list: one row per facility. Handlers only gather the
 * batch's registrations ({@link FacilityChanges}); at commit each is one idempotent insert.
 */
@Component
@ProcessingGroup(FacilityProjection.NAME)
public class FacilityProjection extends Projection<FacilityChanges> {

    public static final String NAME = "facilities";
    static final ReadModel READ_MODEL = new ReadModel(NAME, "org/clinical/projections/facility/facilities.sql",
            "org/clinical/projections/facility/facilities-views.sql");

    public FacilityProjection(ProjectionSupport support) {
        super(READ_MODEL, support);
    }

    @Bean
    static ReadModel facilitiesReadModel() {
        return READ_MODEL;
    }

    /** The version is the one commands answer: the number of the facility's events so far. */
    @EventHandler
    void on(FacilityRegistered event, @SequenceNumber long sequence, TrackedEventMessage<?> message) {
        batchState(message).add(event, RecordVersion.fromSequence(sequence).value());
    }

    @Override
    protected FacilityChanges newBatchState() {
        return new FacilityChanges();
    }

    @Override
    protected void write(FacilityChanges changes, ReadModelBatch batch) {
        changes.write(batch);
    }
}
