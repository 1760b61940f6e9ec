package org.clinical.projections.audit;

import org.clinical.projections.readmodel.ReadModelBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The aggregates a batch started, the merges it recorded and the position of each of its events, written at
 * commit as idempotent inserts: a replayed event changes nothing (insert on conflict do nothing). The events are
 * one statement per batch, not one per event: a rebuild files up to a thousand at a time.
 */
final class AuditChanges {

    private static final String SUBJECT = """
            insert into {s}.audit_subject (aggregate_id, patient_id) values (?, ?)
            on conflict (aggregate_id) do nothing""";
    private static final String MERGE = """
            insert into {s}.patient_merge (merged_id, survivor_id) values (?, ?)
            on conflict (merged_id) do nothing""";

    /**
     * After the subjects, the whole batch's events in one statement (an array of aggregates and one of sequences,
     * unnested into rows): each event's patient from its aggregate's subject, and its position from the tenant's
     * store (%s) by its aggregate and sequence (the unique index), with where its row is (its {@code ctid}: the
     * event has committed, and the store is insert-only). The lateral joins (kept apart by {@code offset 0}) probe
     * both indexes for each event, whatever the planner guesses of the arrays' length. An event of an aggregate
     * mapped to no patient (a tenant, a facility) adds no row.
     */
    private static final String EVENTS = """
            insert into {s}.audit_event (patient_id, position, row_ref)
            select s.patient_id, e.global_index, e.ctid
            from unnest(?::text[], ?::bigint[]) as u (aggregate_id, sequence_number)
            cross join lateral (select x.patient_id from {s}.audit_subject x
                                where x.aggregate_id = u.aggregate_id offset 0) s
            cross join lateral (select y.global_index, y.ctid from %s.domain_event_entry y
                                where y.aggregate_identifier = u.aggregate_id
                                  and y.sequence_number = u.sequence_number offset 0) e
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
        if (!events.isEmpty()) {
            batch.add(EVENTS.formatted(batch.tenant().schema()),
                    events.stream().map(Event::aggregateId).toArray(String[]::new),
                    events.stream().map(Event::sequence).toArray(Long[]::new));
        }
    }
}
