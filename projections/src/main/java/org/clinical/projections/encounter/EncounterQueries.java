package org.clinical.projections.encounter;

import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads of the encounters themselves: a patient's, newest first, with where the patient was, and the open one. */
public final class EncounterQueries {

    private static final String OF_PATIENT = """
            select encounter_id, patient_id, encounter_class, facility_id, location, status, started_at,
                   ended_at, reason, disposition, version
            from {encounters}.encounter
            where patient_id = ? and (started_at, encounter_id) < (?, ?)
            order by started_at desc, encounter_id desc limit ?""";
    private static final String LOCATIONS = """
            select encounter_id, location, from_at, to_at from {encounters}.encounter_location
            where encounter_id = any(?::uuid[]) order by encounter_id, seq""";
    /** Through the partial index of open encounters. */
    private static final String OPEN = """
            select encounter_id, encounter_class, facility_id, location, started_at, version
            from {encounters}.encounter
            where patient_id = ? and status = 'in-progress'
            order by started_at desc, encounter_id desc limit 1""";

    private EncounterQueries() {
    }

    /**
     * @param reason  as stored: JSON {@code {system, code, display}}, or null
     * @param version the one its ETag and commands carry
     */
    public record Encounter(UUID encounterId, UUID patientId, String encounterClass, UUID facilityId,
                            String location, String status, Instant startedAt, Instant endedAt, String reason,
                            String disposition, long version) {
    }

    /** Where the patient was during an encounter; {@code to} is null while they are still there. */
    public record LocationStay(String location, Instant from, Instant to) {
    }

    public record OpenEncounter(UUID encounterId, String encounterClass, UUID facilityId, String location,
                                Instant startedAt, long version) {
    }

    /** The patient's encounters before the given one in the order newest first (by startedAt, encounterId). */
    public static List<Encounter> ofPatient(Read read, UUID patientId, Instant startedBefore, UUID encounterBefore,
                                            int limit) {
        return read.jdbc().query(read.sql(OF_PATIENT), (rs, i) -> encounter(rs), patientId,
                startedBefore.atOffset(ZoneOffset.UTC), encounterBefore, limit);
    }

    /** Each encounter's stays in order; an encounter without any is left out. */
    public static Map<UUID, List<LocationStay>> locations(Read read, List<UUID> encounterIds) {
        Map<UUID, List<LocationStay>> stays = new LinkedHashMap<>();
        if (encounterIds.isEmpty()) {
            return stays;
        }
        read.jdbc().query(read.sql(LOCATIONS), rs -> {
            stays.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                    .add(new LocationStay(rs.getString(2), Rows.instant(rs, 3), Rows.instant(rs, 4)));
        }, (Object) encounterIds.stream().map(UUID::toString).toArray(String[]::new));
        return stays;
    }

    /** The patient's encounter in progress, the newest when several are open. */
    public static Optional<OpenEncounter> open(Read read, UUID patientId) {
        return read.jdbc().query(read.sql(OPEN),
                rs -> rs.next() ? Optional.of(new OpenEncounter(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getObject(3, UUID.class), rs.getString(4), Rows.instant(rs, 5), rs.getLong(6)))
                        : Optional.<OpenEncounter>empty(),
                patientId);
    }

    private static Encounter encounter(ResultSet rs) throws SQLException {
        return new Encounter(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), Rows.instant(rs, 7),
                Rows.instant(rs, 8), rs.getString(9), rs.getString(10), rs.getLong(11));
    }
}
