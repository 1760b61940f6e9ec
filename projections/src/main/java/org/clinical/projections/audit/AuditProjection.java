package org.clinical.projections.audit;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.projections.readmodel.Projection;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.readmodel.ReadModelBatch;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * What the event history needs beside the tenant's event store: the patient each aggregate is about (from the
 * aggregate's first event; later events of an encounter or observation, its amendments and entries in error
 * included, belong to the same aggregate) and the merges. The events themselves are read from the store by
 * {@link AuditQueries}, exactly as stored.
 */
@Component
@ProcessingGroup(AuditProjection.NAME)
public class AuditProjection extends Projection<AuditChanges> {

    public static final String NAME = "audit";
    static final ReadModel READ_MODEL = new ReadModel(NAME, "org/clinical/projections/audit/audit.sql", null);

    public AuditProjection(ProjectionSupport support) {
        super(READ_MODEL, support);
    }

    @Bean
    static ReadModel auditReadModel() {
        return READ_MODEL;
    }

    @EventHandler
    void on(PatientRegistered event, EventMessage<?> message) {
        batchState(message).subject(event.patientId().toString(), event.patientId().value());
    }

    @EventHandler
    void on(EncounterStarted event, EventMessage<?> message) {
        batchState(message).subject(event.encounterId().toString(), event.patientId().value());
    }

    @EventHandler
    void on(ObservationRecorded event, EventMessage<?> message) {
        batchState(message).subject(event.observationId().toString(), event.patientId().value());
    }

    @EventHandler
    void on(PatientMerged event, EventMessage<?> message) {
        batchState(message).merge(event.patientId().value(), event.survivorId().value());
    }

    @Override
    protected AuditChanges newBatchState() {
        return new AuditChanges();
    }

    @Override
    protected void write(AuditChanges changes, ReadModelBatch batch) {
        changes.write(batch);
    }
}
