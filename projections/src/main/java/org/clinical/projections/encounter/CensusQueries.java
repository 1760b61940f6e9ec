package org.clinical.projections.encounter;

import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Reads of the census: the open encounters grouped by facility and location, groups in the order of their
 * {@link Place}, each group's encounters oldest first.
 */
public final class CensusQueries {

    private static final String PLACE = "(facility_id, location is not null, coalesce(location, ''))";
    private static final String PLACES = "select distinct facility_id, location is not null, coalesce(location, '')"
            + " from {encounters}.census where %s order by 1, 2, 3 limit ?";
    private static final String GROUPS = "select facility_id, location is not null, coalesce(location, ''),"
            + " encounter_id, patient_id, encounter_class, started_at from {encounters}.census"
            + " where %s and " + PLACE + " <= (?, ?, ?)"
            + " order by facility_id, location is not null, coalesce(location, ''), started_at, encounter_id";

    private CensusQueries() {
    }

    /**
     * A group's place in the order: facility, then no location before any location.
     *
     * @param location {@code ""} when not located
     */
    public record Place(UUID facilityId, boolean located, String location) {
    }

    public record CensusEncounter(UUID encounterId, UUID patientId, String encounterClass, Instant startedAt) {
    }

    public record Group(Place place, List<CensusEncounter> encounters) {
    }

    /**
     * The places of the groups after {@code after} (null: from the first), at most {@code limit}.
     *
     * @param facilityId null for every facility
     */
    public static List<Place> places(Read read, UUID facilityId, Place after, int limit) {
        Filter filter = Filter.of(facilityId, after);
        return read.jdbc().query(read.sql(PLACES.formatted(filter.where())), (rs, i) -> place(rs),
                Stream.concat(filter.args().stream(), Stream.of(limit)).toArray());
    }

    /** The groups after {@code after} (null: from the first) up to and with {@code through}, with their encounters. */
    public static List<Group> groups(Read read, UUID facilityId, Place after, Place through) {
        Filter filter = Filter.of(facilityId, after);
        List<Object> args = new ArrayList<>(filter.args());
        args.addAll(List.of(through.facilityId(), through.located(), through.location()));
        Map<Place, List<CensusEncounter>> groups = new LinkedHashMap<>();
        read.jdbc().query(read.sql(GROUPS.formatted(filter.where())), rs -> {
            groups.computeIfAbsent(place(rs), k -> new ArrayList<>()).add(new CensusEncounter(
                    rs.getObject(4, UUID.class), rs.getObject(5, UUID.class), rs.getString(6), Rows.instant(rs, 7)));
        }, args.toArray());
        return groups.entrySet().stream().map(g -> new Group(g.getKey(), g.getValue())).toList();
    }

    private static Place place(ResultSet rs) throws SQLException {
        return new Place(rs.getObject(1, UUID.class), rs.getBoolean(2), rs.getString(3));
    }

    private record Filter(String where, List<Object> args) {

        static Filter of(UUID facilityId, Place after) {
            List<String> conditions = new ArrayList<>();
            List<Object> args = new ArrayList<>();
            if (after != null) {
                conditions.add(PLACE + " > (?, ?, ?)");
                args.addAll(List.of(after.facilityId(), after.located(), after.location()));
            }
            if (facilityId != null) {
                conditions.add("facility_id = ?");
                args.add(facilityId);
            }
            return new Filter(conditions.isEmpty() ? "true" : String.join(" and ", conditions), args);
        }
    }
}
