package org.clinical.projections.observation;

import org.clinical.projections.readmodel.Read;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The reads of the statistics rollup, {@code observation_stat} and its histogram {@code observation_stat_bucket}
 * (the {@link Read} must use the {@code observations} projection); never {@code observation} itself.
 */
public final class ObservationStatsQueries {

    private static final String SUMS = """
            select %s as g, sum(count), sum(sum), min(min), max(max), array_agg(distinct unit) filter (where count > 0)
            from {observations}.observation_stat%s group by 1 having sum(count) > 0 order by 1 nulls first""";

    private static final String BUCKETS = """
            select %s as g, sign, k, sum(count)
            from {observations}.observation_stat_bucket%s group by 1, 2, 3 having sum(count) > 0""";

    private ObservationStatsQueries() {
    }

    /**
     * @param codeSystem null: the code in any system
     * @param from       null or the first UTC day, inclusive
     * @param to         null or the last UTC day, inclusive
     */
    public record Filter(String codeSystem, String code, LocalDate from, LocalDate to) {
    }

    /**
     * count, min, max and mean are exact; p50 and p95 come from the histogram, within {@link StatsBuckets#ALPHA}
     * relative error of the sample at rank {@code floor(q * (count - 1))}.
     *
     * @param unit null when the values have several units
     */
    public record Stats(long count, BigDecimal min, BigDecimal max, Double mean, Double p50, Double p95,
                        String unit) {
    }

    public record DayStats(LocalDate day, Stats stats) {
    }

    /** @param facilityId null for the observations without an encounter */
    public record FacilityStats(UUID facilityId, Stats stats) {
    }

    /** The statistics of the filter's values, empty when there are none. */
    public static Optional<Stats> overall(Read read, Filter filter) {
        return Optional.ofNullable(groups(read, filter, "null::text", rs -> null).get(null)).map(Group::stats);
    }

    /** The statistics per UTC day that has values, by day. */
    public static List<DayStats> byDay(Read read, Filter filter) {
        return groups(read, filter, "day", rs -> rs.getObject(1, LocalDate.class)).entrySet().stream()
                .map(e -> new DayStats(e.getKey(), e.getValue().stats())).toList();
    }

    /** The statistics per facility that has values, by facility id, observations without an encounter first. */
    public static List<FacilityStats> byFacility(Read read, Filter filter) {
        return groups(read, filter, "facility_id", rs -> rs.getObject(1, UUID.class)).entrySet().stream()
                .map(e -> new FacilityStats(e.getKey(), e.getValue().stats())).toList();
    }

    private interface Key<K> {
        K read(ResultSet rs) throws SQLException;
    }

    private static <K> Map<K, Group> groups(Read read, Filter filter, String group, Key<K> key) {
        StringBuilder where = new StringBuilder(" where code = ?");
        List<Object> args = new ArrayList<>(List.of(filter.code()));
        if (filter.codeSystem() != null) {
            where.append(" and code_system = ?");
            args.add(filter.codeSystem());
        }
        if (filter.from() != null) {
            where.append(" and day >= ?");
            args.add(filter.from());
        }
        if (filter.to() != null) {
            where.append(" and day <= ?");
            args.add(filter.to());
        }
        Map<K, Group> groups = new LinkedHashMap<>();
        read.jdbc().query(read.sql(SUMS.formatted(group, where)), rs -> {
            groups.put(key.read(rs), new Group(rs.getLong(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                    rs.getBigDecimal(5), unit(rs.getArray(6))));
        }, args.toArray());
        read.jdbc().query(read.sql(BUCKETS.formatted(group, where)), rs -> {
            Group g = groups.get(key.read(rs));
            if (g != null) {
                g.percentiles.add(rs.getInt(2), rs.getInt(3), rs.getLong(4));
            }
        }, args.toArray());
        return groups;
    }

    private static String unit(Array units) throws SQLException {
        if (units == null) {
            return null;
        }
        Object[] values = (Object[]) units.getArray();
        return values.length == 1 ? (String) values[0] : null;
    }

    /** One group's sums and histogram. */
    private record Group(long count, BigDecimal sum, BigDecimal min, BigDecimal max, String unit,
                         Percentiles percentiles) {

        Group(long count, BigDecimal sum, BigDecimal min, BigDecimal max, String unit) {
            this(count, sum, min, max, unit, new Percentiles());
        }

        Stats stats() {
            Double lo = min == null ? null : min.doubleValue();
            Double hi = max == null ? null : max.doubleValue();
            return new Stats(count, min, max, count == 0 ? null : sum.doubleValue() / count,
                    percentiles.percentile(0.50, lo, hi), percentiles.percentile(0.95, lo, hi), unit);
        }
    }
}
