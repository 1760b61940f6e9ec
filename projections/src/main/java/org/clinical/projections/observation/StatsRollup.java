package org.clinical.projections.observation;

import org.clinical.projections.readmodel.ReadModelBatch;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.clinical.projections.observation.SqlValues.number;
import static org.clinical.projections.observation.SqlValues.startOf;
import static org.clinical.projections.observation.SqlValues.uuid;

/**
 * The statistics deltas of one batch, summed in memory per code, unit, UTC day and facility, then written with
 * one batched upsert per table. A value taken away (entered in error, or replaced by an amendment) decrements
 * count, sum and its histogram bucket; when it was the group's min or max, those two are recomputed from
 * {@code observation} for that group alone.
 */
final class StatsRollup {

    private final Map<Group, Delta> groups = new LinkedHashMap<>();
    private final Map<Bucket, Long> buckets = new LinkedHashMap<>();

    record Group(String code, String system, LocalDate day, UUID facilityId, String unit) {
    }

    record Bucket(Group group, int sign, int k) {
    }

    private static final class Delta {
        long count;
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal min;
        BigDecimal max;
        BigDecimal removedMin;
        BigDecimal removedMax;
    }

    void add(ObservationRow row) {
        change(row, row.counted(), 1);
    }

    void remove(ObservationRow row) {
        change(row, row.counted(), -1);
    }

    private void change(ObservationRow row, List<Quantities.Point> points, int sign) {
        LocalDate day = LocalDate.ofInstant(row.effectiveAt, ZoneOffset.UTC);
        for (Quantities.Point point : points) {
            Group group = new Group(point.code(), point.system(), day, row.facilityId, point.unit());
            Delta delta = groups.computeIfAbsent(group, g -> new Delta());
            BigDecimal v = point.value();
            delta.count += sign;
            delta.sum = sign > 0 ? delta.sum.add(v) : delta.sum.subtract(v);
            if (sign > 0) {
                delta.min = delta.min == null || v.compareTo(delta.min) < 0 ? v : delta.min;
                delta.max = delta.max == null || v.compareTo(delta.max) > 0 ? v : delta.max;
            } else {
                delta.removedMin = delta.removedMin == null || v.compareTo(delta.removedMin) < 0 ? v : delta.removedMin;
                delta.removedMax = delta.removedMax == null || v.compareTo(delta.removedMax) > 0 ? v : delta.removedMax;
            }
            buckets.merge(new Bucket(group, StatsBuckets.sign(v), StatsBuckets.index(v)), (long) sign, Long::sum);
        }
    }

    private static final String UPSERT_STAT = "insert into {s}.observation_stat as s (code, code_system, day,"
            + " facility_id, unit, count, sum, min, max) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict on constraint observation_stat_key do update set count = s.count + excluded.count,"
            + " sum = s.sum + excluded.sum, min = least(s.min, excluded.min), max = greatest(s.max, excluded.max)";

    private static final String UPSERT_BUCKET = "insert into {s}.observation_stat_bucket as b (code, code_system,"
            + " day, facility_id, unit, sign, k, count) values (?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict on constraint observation_stat_bucket_key do update set count = b.count + excluded.count";

    /** Recomputes min and max of a group whose removed values reached its min or max (or that is empty now). */
    private static final String RECOMPUTE = "update {s}.observation_stat s set (min, max) = (select min(v), max(v)"
            + " from (select o.value_num v from {s}.observation o where o.code = s.code and o.code_system = s.code_system"
            + " and o.unit = s.unit and o.effective_at >= ? and o.effective_at < ?"
            + " and o.facility_id is not distinct from s.facility_id and o.status <> 'entered-in-error'"
            + " union all select (c.e -> 'value' -> 'quantity' ->> 'value')::numeric from {s}.observation o"
            + " cross join lateral jsonb_array_elements(o.value -> 'components') c(e)"
            + " where o.effective_at >= ? and o.effective_at < ? and o.value -> 'components' is not null"
            + " and o.facility_id is not distinct from s.facility_id and o.status <> 'entered-in-error'"
            + " and c.e -> 'code' ->> 'code' = s.code and c.e -> 'code' ->> 'system' = s.code_system"
            + " and c.e -> 'value' -> 'quantity' ->> 'unit' = s.unit) vs)"
            + " where s.code = ? and s.code_system = ? and s.day = ? and s.facility_id is not distinct from ?"
            + " and s.unit = ? and (s.count = 0 or s.min >= ? or s.max <= ?)";

    void write(ReadModelBatch batch) {
        if (groups.isEmpty()) {
            return;
        }
        batch.jdbc().batchUpdate(batch.sql(UPSERT_STAT), groups.entrySet().stream().map(e -> {
            Group g = e.getKey();
            Delta d = e.getValue();
            return new Object[]{g.code, g.system, g.day, uuid(g.facilityId), g.unit, d.count, d.sum, number(d.min),
                    number(d.max)};
        }).toList());
        batch.jdbc().batchUpdate(batch.sql(UPSERT_BUCKET), buckets.entrySet().stream()
                .filter(e -> e.getValue() != 0).map(e -> {
                    Group g = e.getKey().group();
                    return new Object[]{g.code, g.system, g.day, uuid(g.facilityId), g.unit, e.getKey().sign(),
                            e.getKey().k(), e.getValue()};
                }).toList());
        List<Object[]> recompute = groups.entrySet().stream().filter(e -> e.getValue().removedMin != null).map(e -> {
            Group g = e.getKey();
            Delta d = e.getValue();
            return new Object[]{startOf(g.day), startOf(g.day.plusDays(1)), startOf(g.day), startOf(g.day.plusDays(1)),
                    g.code, g.system, g.day, uuid(g.facilityId), g.unit, d.removedMin, d.removedMax};
        }).toList();
        if (!recompute.isEmpty()) {
            batch.jdbc().batchUpdate(batch.sql(RECOMPUTE), recompute);
        }
    }
}
