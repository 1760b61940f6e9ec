package org.clinical.projections.audit;

import org.clinical.projections.readmodel.ReadModelBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The aggregates a batch started, the merges it recorded and the position of each of its events, written at
 * commit as idempotent inserts: a replayed event changes nothing (insert on conflict do nothing).
 */
final class AuditChanges {

    private static final String SUBJECT = """
            insert into {s}.audit_subject (aggregate_id, patient_id) values (?, ?)
            on conflict (aggregate_id) do nothing""";
    private static final String MERGE = """
            insert into {s}.patient_merge (merged_id, survivor_id) values (?, ?)
            on conflict (merged_id) do nothing""";

    /**
     * After the subjects: the event's position from the tenant's store (%s) by its aggregate and sequence (the
     * unique index); an event of an aggregate mapped to no patient (a tenant, a facility) adds no row.
     */
    private static final String EVENT = """
            insert into {s}.audit_event (patient_id, position)
            select s.patient_id, e.global_index from {s}.audit_subject s
            join %s.domain_event_entry e on e.aggregate_identifier = s.aggregate_id and e.sequence_number = ?
            where s.aggregate_id = ?
            on conflict do nothing""";

    private record Subject(String aggregateId, UUID patientId) {
    }

    private record Merge(UUID mergedId, UUID survivorId) {
    }

    private final List<Subject> subjects = new ArrayList<>();
    private final List<Merge> merges = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    private record Event(String aggregateId, long sequence) {
    }

    void event(String aggregateId, long sequence) {
        events.add(new Event(aggregateId, sequence));
    }

    void subject(String aggregateId, UUID patientId) {
        subjects.add(new Subject(aggregateId, patientId));
    }

    void merge(UUID mergedId, UUID survivorId) {
        merges.add(new Merge(mergedId, survivorId));
    }

    void write(ReadModelBatch batch) {
        subjects.forEach(s -> batch.add(SUBJECT, s.aggregateId(), s.patientId()));
        merges.forEach(m -> batch.add(MERGE, m.mergedId(), m.survivorId()));
        String event = EVENT.formatted(batch.tenant().schema());
        events.forEach(e -> batch.add(event, e.sequence(), e.aggregateId()));
    }
}
