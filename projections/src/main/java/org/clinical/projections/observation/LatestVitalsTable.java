package org.clinical.projections.observation;

import org.clinical.projections.observation.ObservationRow.VitalKey;
import org.clinical.projections.readmodel.ReadModelBatch;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.clinical.projections.observation.SqlValues.text;
import static org.clinical.projections.observation.SqlValues.time;
import static org.clinical.projections.observation.SqlValues.uuid;

/**
 * {@code latest_vital}: the newest vital sign per patient and code that is not entered in error, by
 * {@code (effective_at, observation_id)}. A newly recorded vital replaces the stored one only when it is newer;
 * an amendment of the stored one changes its value in place; entering the stored one in error falls back to the
 * newest valid observation of that code, read from {@code observation}.
 */
final class LatestVitalsTable {

    private static final Comparator<ObservationRow> NEWEST = Comparator
            .comparing((ObservationRow r) -> r.effectiveAt).thenComparing(r -> r.observationId);

    private static final String OFFER = "insert into {s}.latest_vital as l (patient_id, code_system, code,"
            + " code_display, observation_id, effective_at, value, status, interpretation)"
            + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)"
            + " on conflict (patient_id, code_system, code) do update set code_display = excluded.code_display,"
            + " observation_id = excluded.observation_id, effective_at = excluded.effective_at,"
            + " value = excluded.value, status = excluded.status, interpretation = excluded.interpretation"
            + " where (excluded.effective_at, excluded.observation_id) > (l.effective_at, l.observation_id)";

    private static final String AMEND = "update {s}.latest_vital set value = ?::jsonb, status = ?, interpretation = ?"
            + " where patient_id = ? and code_system = ? and code = ? and observation_id = ?";

    private static final String FORGET = "delete from {s}.latest_vital"
            + " where patient_id = ? and code_system = ? and code = ? and observation_id = ?";

    private static final String FALL_BACK = "insert into {s}.latest_vital (patient_id, code_system, code,"
            + " code_display, observation_id, effective_at, value, status, interpretation)"
            + " select patient_id, code_system, code, code_display, observation_id, effective_at, value, status,"
            + " interpretation from {s}.observation"
            + " where patient_id = ? and code_system = ? and code = ? and category = 'vital-signs'"
            + " and status <> 'entered-in-error'"
            + " order by effective_at desc, observation_id desc limit 1"
            + " on conflict (patient_id, code_system, code) do nothing";

    private LatestVitalsTable() {
    }

    /** Valid vital signs recorded in the batch: the newest per key is offered. */
    static void offer(ReadModelBatch batch, Collection<ObservationRow> recorded) {
        Map<VitalKey, ObservationRow> newest = new LinkedHashMap<>();
        for (ObservationRow row : recorded) {
            if (row.vitalSign() && row.valid()) {
                newest.merge(row.vitalKey(), row, (a, b) -> NEWEST.compare(a, b) >= 0 ? a : b);
            }
        }
        if (!newest.isEmpty()) {
            batch.jdbc().batchUpdate(batch.sql(OFFER), newest.values().stream().map(r -> new Object[]{
                    uuid(r.patientId), r.code.system(), r.code.code(), text(r.code.display()), uuid(r.observationId),
                    time(r.effectiveAt), ObservationTable.json(r.value), r.status, text(r.interpretation())}).toList());
        }
    }

    /** Vital signs of earlier batches that were amended or entered in error in this one. */
    static void changed(ReadModelBatch batch, Collection<ObservationRow> changed) {
        List<ObservationRow> amended = changed.stream().filter(r -> r.vitalSign() && r.valid()).toList();
        List<ObservationRow> inError = changed.stream().filter(r -> r.vitalSign() && !r.valid()).toList();
        if (!amended.isEmpty()) {
            batch.jdbc().batchUpdate(batch.sql(AMEND), amended.stream().map(r -> new Object[]{
                    ObservationTable.json(r.value), r.status, text(r.interpretation()), uuid(r.patientId),
                    r.code.system(), r.code.code(), uuid(r.observationId)}).toList());
        }
        if (!inError.isEmpty()) {
            List<Object[]> keys = inError.stream().map(r -> new Object[]{uuid(r.patientId), r.code.system(),
                    r.code.code(), uuid(r.observationId)}).toList();
            batch.jdbc().batchUpdate(batch.sql(FORGET), keys);
            batch.jdbc().batchUpdate(batch.sql(FALL_BACK),
                    keys.stream().map(k -> new Object[]{k[0], k[1], k[2]}).toList());
        }
    }
}
