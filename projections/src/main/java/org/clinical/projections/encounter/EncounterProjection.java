package org.clinical.projections.encounter;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.infra.web.RecordVersion;
import org.clinical.events.encounter.EncounterEvent;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterEvent.PatientTransferred;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelBatch;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Encounters, their location history, the census of open encounters and encounters per UTC start day. The
 * handlers only gather the batch's events ({@link EncounterChanges}); at commit they are written kind by kind
 * (each kind one JDBC batch, which keeps an encounter's start, transfers and end in order) and the derived
 * tables follow from the rows, set-based: no read per event, whether live or rebuilding.
 */
@Component
@ProcessingGroup(EncounterProjection.NAME)
public class EncounterProjection extends Projection<EncounterChanges> {

    public static final String NAME = "encounters";
    static final ReadModel READ_MODEL = new ReadModel(NAME, "org/clinical/projections/encounter/encounters.sql",
            "org/clinical/projections/encounter/encounters-views.sql");

    public EncounterProjection(ProjectionSupport support) {
        super(READ_MODEL, support);
    }

    @Bean
    static ReadModel encountersReadModel() {
        return READ_MODEL;
    }

    @EventHandler
    void on(EncounterStarted event, @SequenceNumber long sequence, TrackedEventMessage<?> message) {
        add(event, sequence, message);
    }

    @EventHandler
    void on(PatientTransferred event, @SequenceNumber long sequence, TrackedEventMessage<?> message) {
        add(event, sequence, message);
    }

    @EventHandler
    void on(PatientDischarged event, @SequenceNumber long sequence, TrackedEventMessage<?> message) {
        add(event, sequence, message);
    }

    @EventHandler
    void on(EncounterCancelled event, @SequenceNumber long sequence, TrackedEventMessage<?> message) {
        add(event, sequence, message);
    }

    /** The version is the one commands answer and ETags carry: the number of the encounter's events so far. */
    private void add(EncounterEvent event, long sequence, TrackedEventMessage<?> message) {
        batchState(message).add(event, RecordVersion.fromSequence(sequence).value());
    }

    @Override
    protected EncounterChanges newBatchState() {
        return new EncounterChanges();
    }

    @Override
    protected void write(EncounterChanges changes, ReadModelBatch batch) {
        changes.write(batch);
    }
}
