package org.clinical.projections.encounter;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackedEventMessage;
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

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Encounters, their location history, the census of open encounters and encounters per UTC start day. The
 * handlers only queue the batch's events ({@link EncounterChanges}); at commit they are written kind by kind
 * (each kind one JDBC batch, which keeps an encounter's start, transfers and end in order) and the derived
 * tables follow from the rows, set-based: no read per event, whether live or rebuilding.
 */
@Component
@ProcessingGroup(EncounterProjection.NAME)
public class EncounterProjection extends Projection {

    public static final String NAME = "encounters";
    static final ReadModel READ_MODEL = new ReadModel(NAME, "readmodel/encounters.sql",
            "readmodel/encounters-views.sql");
    private static final String PATIENT = "patient";

    public EncounterProjection(ProjectionSupport support) {
        super(READ_MODEL, support);
    }

    @Bean
    static ReadModel encountersReadModel() {
        return READ_MODEL;
    }

    @EventHandler
    void on(EncounterStarted event, @SequenceNumber long sequence, TrackedEventMessage<?> message) {
        queue(event, sequence, message);
    }

    @EventHandler
    void on(PatientTransferred event, @SequenceNumber long sequence, TrackedEventMessage<?> message) {
        queue(event, sequence, message);
    }

    @EventHandler
    void on(PatientDischarged event, @SequenceNumber long sequence, TrackedEventMessage<?> message) {
        queue(event, sequence, message);
    }

    @EventHandler
    void on(EncounterCancelled event, @SequenceNumber long sequence, TrackedEventMessage<?> message) {
        queue(event, sequence, message);
    }

    /** The version is the one commands answer and ETags carry: the number of the encounter's events so far. */
    private void queue(EncounterEvent event, long sequence, TrackedEventMessage<?> message) {
        ReadModelBatch batch = batch(message);
        batch.touch(EncounterChanges.KIND, new EncounterChanges.Change(event, sequence + 1));
        batch.touch(PATIENT, event.patientId().value().toString());
    }

    @Override
    protected void finish(ReadModelBatch batch) {
        Set<EncounterChanges.Change> changes = batch.touched(EncounterChanges.KIND);
        if (!changes.isEmpty()) {
            new EncounterChanges(changes).write(batch);
        }
    }

    @Override
    protected void committed(ReadModelBatch batch) {
        Set<String> patients = batch.touched(PATIENT);
        patientsChanged(batch, patients.stream().collect(Collectors.toUnmodifiableSet()));
    }
}
