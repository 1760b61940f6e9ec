package org.clinical.projections.encounter;

import org.clinical.events.encounter.EncounterClass;
import org.clinical.infra.region.Regions.Region;
import org.clinical.projections.readmodel.Read;
import org.springframework.jdbc.core.RowMapper;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads of the encounters per UTC start day (cancelled ones taken out), for a tenant or summed over several
 * tenants' live schemas: days in order, days without encounters left out.
 */
public final class EncounterDailyQueries {

    private static final String TENANT = "select day, sum(count) from {encounters}.encounter_daily"
            + " where %s group by day having sum(count) > 0 order by day limit ?";
    private static final String ONE_SCHEMA = "select day, count from %s.encounter_daily where day between ? and ?";
    private static final String UNION = "select day, sum(count) from (%s) d"
            + " group by day having sum(count) > 0 order by day limit ?";
    private static final RowMapper<DailyCount> DAILY = (rs, i) -> new DailyCount(rs.getObject(1, LocalDate.class),
            rs.getLong(2));

    private EncounterDailyQueries() {
    }

    public record DailyCount(LocalDate day, long count) {
    }

    /**
     * The tenant's days from {@code from} to {@code to}, at most {@code limit}.
     *
     * @param facilityId     null for every facility
     * @param encounterClass null for every class
     */
    public static List<DailyCount> tenant(Read read, LocalDate from, LocalDate to, UUID facilityId,
                                          EncounterClass encounterClass, int limit) {
        List<Object> args = new ArrayList<>(List.of(from, to));
        StringBuilder where = new StringBuilder("day between ? and ?");
        if (facilityId != null) {
            where.append(" and facility_id = ?");
            args.add(facilityId);
        }
        if (encounterClass != null) {
            where.append(" and encounter_class = ?");
            args.add(encounterClass.name());
        }
        args.add(limit);
        return read.jdbc().query(read.sql(TENANT.formatted(where)), DAILY, args.toArray());
    }

    /**
     * The days from {@code from} to {@code to} summed over several tenants of a region, at most {@code limit},
     * read on the region's query pool.
     *
     * @param schemas the live schemas of the tenants' "encounters" projections
     */
    public static List<DailyCount> region(Region region, List<String> schemas, LocalDate from, LocalDate to,
                                          int limit) {
        if (schemas.isEmpty()) {
            return List.of();
        }
        String union = schemas.stream().map(ONE_SCHEMA::formatted).collect(Collectors.joining(" union all "));
        List<Object> args = new ArrayList<>();
        schemas.forEach(s -> args.addAll(List.of(from, to)));
        args.add(limit);
        return region.queryJdbc().query(UNION.formatted(union), DAILY, args.toArray());
    }
}
