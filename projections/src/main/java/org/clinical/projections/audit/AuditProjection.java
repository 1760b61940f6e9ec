package org.clinical.projections.audit;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.DomainEventMessage;
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
 * included, belong to the same aggregate), the merges, and the position of every event about a patient (a
 * patient's history is a range of {@code audit_event}). The events themselves are read from the store by
 * {@link AuditQueries}, exactly as stored.
 */
@Component
@ProcessingGroup(AuditProjection.NAME)
public class AuditProjection extends Projection<AuditChanges> {

    public static final String NAME = "audit";
    static final ReadModel READ_MODEL = new ReadModel(NAME, "org/clinical/projections/audit/audit.sql", null,
            "org/clinical/projections/audit/audit-upgrade.sql");

    public AuditProjection(ProjectionSupport support) {
        super(READ_MODEL, support);
    }

    @Bean
    static ReadModel auditReadModel() {
        return READ_MODEL;
    }

    /**
     * Every event: the first event of a patient, encounter or observation maps the aggregate to its patient, a
     * merge is kept, and every event's position is filed under the patient of its aggregate. One handler, as
     * Axon calls only the most specific handler of a class for an event. The position is read from the store by
     * the event's aggregate and sequence, not taken from the tracking token: the token of an event that
     * committed late holds the highest position read so far, not the event's own.
     */
    @EventHandler
    void on(Object event, DomainEventMessage<?> message) {
        AuditChanges changes = batchState(message);
        switch (event) {
            case PatientRegistered e -> changes.subject(e.patientId().toString(), e.patientId().value());
            case EncounterStarted e -> changes.subject(e.encounterId().toString(), e.patientId().value());
            case ObservationRecorded e -> changes.subject(e.observationId().toString(), e.patientId().value());
            case PatientMerged e -> changes.merge(e.patientId().value(), e.survivorId().value());
            default -> {
            }
        }
        changes.event(message.getAggregateIdentifier(), message.getSequenceNumber());
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
