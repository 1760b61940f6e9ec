package org.clinical.projections.encounter;

import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads of the census: the open encounters grouped by facility and location, groups in the order of their
 * {@link Place}, each group's encounters oldest first.
 */
public final class CensusQueries {

    private static final String PLACE = "(facility_id, location is not null, coalesce(location, ''))";
    /**
     * One statement, so one snapshot: the page's places (one more than asked, to tell whether a next page
     * exists) and the encounters of all but that extra one. Two statements could see a group vanish between
     * them (a discharge committing) and answer a page that disagrees with itself.
     */
    private static final String PAGE = """
            with candidate as (
                select distinct facility_id, location is not null as located, coalesce(location, '') as place
                from {encounters}.census where %s order by 1, 2, 3 limit ?),
            chosen as (select * from candidate order by 1, 2, 3 limit ?)
            select (select count(*) from candidate) > ?, c.facility_id, c.location is not null,
                   coalesce(c.location, ''), c.encounter_id, c.patient_id, c.encounter_class, c.started_at
            from chosen p join {encounters}.census c
              on (c.facility_id, c.location is not null, coalesce(c.location, '')) = (p.facility_id, p.located, p.place)
            order by c.facility_id, c.location is not null, coalesce(c.location, ''), c.started_at, c.encounter_id""";

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

    /** Up to {@code limit} groups after a place, and whether more follow. */
    public record GroupPage(List<Group> groups, boolean more) {
    }

    /**
     * The groups after {@code after} (null: from the first), at most {@code limit}, with their encounters.
     *
     * @param facilityId null for every facility
     */
    public static GroupPage page(Read read, UUID facilityId, Place after, int limit) {
        Filter filter = Filter.of(facilityId, after);
        List<Object> args = new ArrayList<>(filter.args());
        args.addAll(List.of(limit + 1, limit, limit));
        Map<Place, List<CensusEncounter>> groups = new LinkedHashMap<>();
        boolean[] more = {false};
        read.jdbc().query(read.sql(PAGE.formatted(filter.where())), rs -> {
            more[0] = rs.getBoolean(1);
            groups.computeIfAbsent(new Place(rs.getObject(2, UUID.class), rs.getBoolean(3), rs.getString(4)),
                    k -> new ArrayList<>()).add(new CensusEncounter(rs.getObject(5, UUID.class),
                    rs.getObject(6, UUID.class), rs.getString(7), Rows.instant(rs, 8)));
        }, args.toArray());
        return new GroupPage(groups.entrySet().stream().map(g -> new Group(g.getKey(), g.getValue())).toList(),
                more[0]);
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
