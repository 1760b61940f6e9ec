package org.clinical.projections.encounter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterEvent;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterEvent.PatientTransferred;
import org.clinical.projections.readmodel.ReadModelBatch;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The encounter events of one batch, the projection's batch state, written at commit. Rows first, one kind
 * after the other: an encounter's events always run start, transfers, then discharge or cancel, so writing the
 * kinds in that order keeps each encounter's order; inserts go as one JDBC batch per kind, updates as one
 * statement over arrays per kind. Row writes are idempotent (insert on conflict do nothing, updates guarded by
 * the version). Then, set-based over the batch's encounters: the location history is closed, the census rows
 * are replaced and the daily counts move by the batch's starts and cancellations (exactly once, as they commit
 * with the token).
 */
final class EncounterChanges {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String INSERT_ENCOUNTER = """
            insert into {s}.encounter (encounter_id, patient_id, encounter_class, facility_id, location, status,
                                       started_at, reason, version)
            values (?, ?, ?, ?, ?, 'in-progress', ?, ?::jsonb, ?)
            on conflict (encounter_id) do nothing""";
    private static final String INSERT_LOCATION = """
            insert into {s}.encounter_location (encounter_id, seq, location, from_at) values (?, ?, ?, ?)
            on conflict (encounter_id, seq) do nothing""";
    /** The batch's last transfer of each encounter wins; older versions never overwrite newer rows. */
    private static final String TRANSFER = """
            update {s}.encounter e set location = t.location, version = t.version
            from (select distinct on (id) id, location, version
                  from unnest(?::uuid[], ?::text[], ?::bigint[]) as t(id, location, version)
                  order by id, version desc) t
            where e.encounter_id = t.id and e.version < t.version""";
    private static final String DISCHARGE = """
            update {s}.encounter e set status = 'finished', ended_at = d.at, disposition = d.disposition,
                                       version = d.version
            from unnest(?::uuid[], ?::timestamptz[], ?::text[], ?::bigint[]) as d(id, at, disposition, version)
            where e.encounter_id = d.id and e.version < d.version""";
    private static final String CANCEL = """
            update {s}.encounter e set status = 'cancelled', ended_at = c.at, version = c.version
            from unnest(?::uuid[], ?::timestamptz[], ?::bigint[]) as c(id, at, version)
            where e.encounter_id = c.id and e.version < c.version""";
    /** A stay at a location ends where the next one starts, or when the encounter ended. */
    private static final String CLOSE_LOCATIONS = """
            update {s}.encounter_location l set to_at = n.to_at
            from (select h.encounter_id, h.seq,
                         coalesce(lead(h.from_at) over (partition by h.encounter_id order by h.seq), e.ended_at) as to_at
                  from {s}.encounter_location h join {s}.encounter e using (encounter_id)
                  where h.encounter_id = any(?::uuid[])) n
            where l.encounter_id = n.encounter_id and l.seq = n.seq and l.to_at is null and n.to_at is not null""";
    private static final String CENSUS_REMOVE = "delete from {s}.census where encounter_id = any(?::uuid[])";
    /**
     * By primary key only: "offset 0" keeps the planner from combining it with the partial index of open
     * encounters, which it would scan whole at every batch while that index's statistics are young.
     */
    private static final String CENSUS_ADD = """
            insert into {s}.census (encounter_id, patient_id, encounter_class, facility_id, location, started_at)
            select encounter_id, patient_id, encounter_class, facility_id, location, started_at
            from (select * from {s}.encounter where encounter_id = any(?::uuid[]) offset 0) e
            where status = 'in-progress'""";
    private static final String COUNT_DAYS = """
            insert into {s}.encounter_daily (day, facility_id, encounter_class, count)
            select (e.started_at at time zone 'UTC')::date, e.facility_id, e.encounter_class, sum(d.delta)
            from unnest(?::uuid[], ?::int[]) as d(encounter_id, delta) join {s}.encounter e using (encounter_id)
            group by 1, 2, 3
            on conflict (day, facility_id, encounter_class)
            do update set count = encounter_daily.count + excluded.count""";

    /** One event of the batch with the encounter's version after it. */
    private record Change(EncounterEvent event, long version) {
    }

    private final Set<Change> changes = new LinkedHashSet<>();

    void add(EncounterEvent event, long version) {
        changes.add(new Change(event, version));
    }

    void write(ReadModelBatch batch) {
        if (changes.isEmpty()) {
            return;
        }
        writeRows(batch);
        Set<String> all = new LinkedHashSet<>();
        Set<String> moved = new LinkedHashSet<>();
        Map<String, Integer> dayDeltas = new LinkedHashMap<>();
        for (Change change : changes) {
            String id = change.event().encounterId().toString();
            all.add(id);
            switch (change.event()) {
                case EncounterStarted e -> dayDeltas.merge(id, 1, Integer::sum);
                case EncounterCancelled e -> {
                    dayDeltas.merge(id, -1, Integer::sum);
                    moved.add(id);
                }
                default -> moved.add(id);
            }
        }
        if (!moved.isEmpty()) {
            batch.add(CLOSE_LOCATIONS, (Object) moved.toArray(String[]::new));
        }
        batch.add(CENSUS_REMOVE, (Object) all.toArray(String[]::new));
        batch.add(CENSUS_ADD, (Object) all.toArray(String[]::new));
        dayDeltas.values().removeIf(delta -> delta == 0);
        if (!dayDeltas.isEmpty()) {
            batch.add(COUNT_DAYS, dayDeltas.keySet().toArray(String[]::new),
                    dayDeltas.values().stream().mapToInt(Integer::intValue).toArray());
        }
        batch.patientsChanged(changes.stream().map(c -> c.event().patientId().value().toString()).toList());
    }

    private void writeRows(ReadModelBatch batch) {
        for (Change change : changes) {
            if (change.event() instanceof EncounterStarted e) {
                batch.add(INSERT_ENCOUNTER, e.encounterId().value(), e.patientId().value(), e.encounterClass().name(),
                        e.facilityId().value(), e.location(), time(e.startedAt()), json(e.reason()), change.version());
            }
        }
        for (Change change : changes) {
            switch (change.event()) {
                case EncounterStarted e when e.location() != null ->
                        batch.add(INSERT_LOCATION, e.encounterId().value(), change.version(), e.location(),
                                time(e.startedAt()));
                case PatientTransferred e -> batch.add(INSERT_LOCATION, e.encounterId().value(), change.version(),
                        e.toLocation(), time(e.at()));
                default -> {
                }
            }
        }
        List<Change> transfers = ofKind(PatientTransferred.class);
        if (!transfers.isEmpty()) {
            batch.add(TRANSFER, ids(transfers), texts(transfers, c -> ((PatientTransferred) c.event()).toLocation()),
                    versions(transfers));
        }
        List<Change> discharges = ofKind(PatientDischarged.class);
        if (!discharges.isEmpty()) {
            batch.add(DISCHARGE, ids(discharges), texts(discharges, c -> ((PatientDischarged) c.event()).at()),
                    texts(discharges, c -> ((PatientDischarged) c.event()).disposition()), versions(discharges));
        }
        List<Change> cancellations = ofKind(EncounterCancelled.class);
        if (!cancellations.isEmpty()) {
            batch.add(CANCEL, ids(cancellations),
                    texts(cancellations, c -> ((EncounterCancelled) c.event()).cancelledAt()), versions(cancellations));
        }
    }

    private static String[] ids(List<Change> changes) {
        return texts(changes, c -> c.event().encounterId());
    }

    /** Array parameters go as text and are cast in SQL ({@code ?::uuid[]}, {@code ?::timestamptz[]}). */
    private static String[] texts(List<Change> changes, Function<Change, Object> value) {
        return changes.stream().map(value).map(v -> v == null ? null : v.toString()).toArray(String[]::new);
    }

    private static long[] versions(List<Change> changes) {
        return changes.stream().mapToLong(Change::version).toArray();
    }

    private List<Change> ofKind(Class<? extends EncounterEvent> kind) {
        return changes.stream().filter(c -> kind.isInstance(c.event())).toList();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String json(Coding coding) {
        if (coding == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(coding);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + coding, e);
        }
    }
}
