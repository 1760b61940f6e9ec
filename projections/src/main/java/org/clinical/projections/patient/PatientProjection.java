package org.clinical.projections.patient;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.clinical.infra.web.RecordVersion;
import org.clinical.events.patient.PatientEvent;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelBatch;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * The patients read model: one row per patient with its demographics, status (merged, deceased) and version,
 * plus the parts of its names and its identifiers for search. Handlers only gather the batch's events
 * ({@link PatientChanges}); at commit each becomes one guarded write and the names and identifiers of the
 * patients it touched are rewritten from their rows, set-based. The version is the one commands answer and
 * accept in If-Match ({@link RecordVersion}, from the aggregate's sequence number).
 */
@Component
@ProcessingGroup(PatientProjection.NAME)
public class PatientProjection extends Projection<PatientChanges> {

    public static final String NAME = "patients";
    static final ReadModel READ_MODEL = new ReadModel(NAME, "org/clinical/projections/patient/patients.sql", "org/clinical/projections/patient/patients-views.sql");

    public PatientProjection(ProjectionSupport support) {
        super(READ_MODEL, support);
    }

    @Bean
    static ReadModel patientsReadModel() {
        return READ_MODEL;
    }

    @EventHandler
    void on(PatientRegistered event, EventMessage<?> message, @SequenceNumber long sequence, @Timestamp Instant at) {
        add(event, message, sequence, at);
    }

    @EventHandler
    void on(PatientDemographicsUpdated event, EventMessage<?> message, @SequenceNumber long sequence,
            @Timestamp Instant at) {
        add(event, message, sequence, at);
    }

    @EventHandler
    void on(PatientMerged event, EventMessage<?> message, @SequenceNumber long sequence, @Timestamp Instant at) {
        add(event, message, sequence, at);
    }

    @EventHandler
    void on(PatientDeceased event, EventMessage<?> message, @SequenceNumber long sequence, @Timestamp Instant at) {
        add(event, message, sequence, at);
    }

    private void add(PatientEvent event, EventMessage<?> message, long sequence, Instant at) {
        batchState(message).add(event, RecordVersion.fromSequence(sequence).value(), at);
    }

    @Override
    protected PatientChanges newBatchState() {
        return new PatientChanges();
    }

    @Override
    protected void write(PatientChanges changes, ReadModelBatch batch) {
        changes.write(batch);
    }
}
