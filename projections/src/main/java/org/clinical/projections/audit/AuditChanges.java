package org.clinical.projections.audit;

import org.clinical.projections.readmodel.ReadModelBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The aggregates a batch started and the merges it recorded, written at commit as idempotent inserts: a
 * replayed event changes nothing (insert on conflict do nothing).
 */
final class AuditChanges {

    private static final String SUBJECT = """
            insert into {s}.audit_subject (aggregate_id, patient_id) values (?, ?)
            on conflict (aggregate_id) do nothing""";
    private static final String MERGE = """
            insert into {s}.patient_merge (merged_id, survivor_id) values (?, ?)
            on conflict (merged_id) do nothing""";

    private record Subject(String aggregateId, UUID patientId) {
    }

    private record Merge(UUID mergedId, UUID survivorId) {
    }

    private final List<Subject> subjects = new ArrayList<>();
    private final List<Merge> merges = new ArrayList<>();

    void subject(String aggregateId, UUID patientId) {
        subjects.add(new Subject(aggregateId, patientId));
    }

    void merge(UUID mergedId, UUID survivorId) {
        merges.add(new Merge(mergedId, survivorId));
    }

    void write(ReadModelBatch batch) {
        subjects.forEach(s -> batch.add(SUBJECT, s.aggregateId(), s.patientId()));
        merges.forEach(m -> batch.add(MERGE, m.mergedId(), m.survivorId()));
    }
}
