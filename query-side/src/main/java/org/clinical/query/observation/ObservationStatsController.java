package org.clinical.query.observation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.web.BadRequestException;
import org.clinical.query.observation.ObservationStats.ByDay;
import org.clinical.query.observation.ObservationStats.ByFacility;
import org.clinical.query.observation.ObservationStats.Items;
import org.clinical.query.observation.ObservationStats.Summary;
import org.clinical.query.web.QueryParameters;
import org.clinical.query.web.QueryParameters.CodeFilter;
import org.clinical.query.web.ReadModels;
import org.clinical.projections.readmodel.Read;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@RestController
@Tag(name = "Analytics")
public class ObservationStatsController {

    private final ReadModels readModels;

    public ObservationStatsController(ReadModels readModels) {
        this.readModels = readModels;
    }

    @GetMapping("/api/v1/{tenant}/analytics/observations/stats")
    @Operation(summary = "Statistics of an observation code's quantity values",
            description = """
                    `{count, min, max, mean, p50, p95, unit}` of the quantity values of `code` (`system|code`, or a bare
                    code in any system) whose effectiveAt falls on a UTC day from `from` to `to` (inclusive dates,
                    each optional); entered-in-error values are excluded and amended ones count with their amended
                    value. A panel's quantity components count under their component code (e.g. systolic 8480-6).
                    With `groupBy=day` or `groupBy=facility` the answer is `{items: [{day | facilityId, count, min,
                    max, mean, p50, p95, unit}]}` (facilityId null: observations without an encounter). `unit` is
                    null when the values have several units. count, min, max and mean are exact; p50 and p95 come
                    from a log-scale histogram and are within 1 % relative error of the actual sample at rank
                    floor(q * (count - 1)). No values: count 0 and nulls. Reads the daily rollup only, never the
                    observations.""")
    public ObservationStats stats(@PathVariable("tenant") String tenant,
                                     @Parameter(description = "system|code, or a bare code", required = true)
                                     @RequestParam(name = "code", required = false) String code,
                                     @Parameter(description = "first UTC day, YYYY-MM-DD, inclusive")
                                     @RequestParam(name = "from", required = false) String from,
                                     @Parameter(description = "last UTC day, YYYY-MM-DD, inclusive")
                                     @RequestParam(name = "to", required = false) String to,
                                     @Parameter(description = "day or facility")
                                     @RequestParam(name = "groupBy", required = false) String groupBy,
                                     HttpServletRequest request) {
        CodeFilter codeFilter = CodeFilter.parse("code", code, true);
        LocalDate fromDay = QueryParameters.date("from", from);
        LocalDate toDay = QueryParameters.date("to", to);
        QueryParameters.requireOrdered(fromDay, toDay);
        String group = switch (groupBy == null ? "" : groupBy) {
            case "" -> "null::text";
            case "day" -> "day";
            case "facility" -> "facility_id";
            default -> throw new BadRequestException("groupBy", "must be day or facility");
        };
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), "observations");

        StringBuilder where = new StringBuilder(" where code = ?");
        List<Object> args = new ArrayList<>(List.of(codeFilter.code()));
        if (codeFilter.system() != null) {
            where.append(" and code_system = ?");
            args.add(codeFilter.system());
        }
        if (fromDay != null) {
            where.append(" and day >= ?");
            args.add(fromDay);
        }
        if (toDay != null) {
            where.append(" and day <= ?");
            args.add(toDay);
        }
        Map<Object, Group> groups = new LinkedHashMap<>();
        read.jdbc().query(read.sql("select " + group + " as g, sum(count), sum(sum), min(min), max(max),"
                + " array_agg(distinct unit) filter (where count > 0) from {observations}.observation_stat" + where
                + " group by 1 having sum(count) > 0 order by 1 nulls first"), rs -> {
            groups.put(key(rs), new Group(rs.getLong(2), rs.getBigDecimal(3), rs.getBigDecimal(4), rs.getBigDecimal(5),
                    unit(rs.getArray(6))));
        }, args.toArray());
        read.jdbc().query(read.sql("select " + group + " as g, sign, k, sum(count)"
                + " from {observations}.observation_stat_bucket" + where
                + " group by 1, 2, 3 having sum(count) > 0"), rs -> {
            Group g = groups.get(key(rs));
            if (g != null) {
                g.percentiles.add(rs.getInt(2), rs.getInt(3), rs.getLong(4));
            }
        }, args.toArray());

        if (groupBy == null || groupBy.isEmpty()) {
            Group only = groups.get(null);
            return only == null ? Summary.NONE : only.summary();
        }
        if (groupBy.equals("day")) {
            return new Items<>(groups.entrySet().stream()
                    .map(e -> new ByDay((LocalDate) e.getKey(), e.getValue().summary())).toList());
        }
        return new Items<>(groups.entrySet().stream()
                .map(e -> new ByFacility((UUID) e.getKey(), e.getValue().summary())).toList());
    }

    /** The group: a day, a facility id, or null (no grouping, or observations without an encounter). */
    private static Object key(ResultSet rs) throws SQLException {
        Object g = rs.getObject(1);
        return g instanceof java.sql.Date d ? d.toLocalDate() : g;
    }

    private static String unit(Array units) throws SQLException {
        if (units == null) {
            return null;
        }
        Object[] values = (Object[]) units.getArray();
        return values.length == 1 ? (String) values[0] : null;
    }

    private static final class Group {

        final long count;
        final BigDecimal sum;
        final BigDecimal min;
        final BigDecimal max;
        final String unit;
        final Percentiles percentiles = new Percentiles();

        Group(long count, BigDecimal sum, BigDecimal min, BigDecimal max, String unit) {
            this.count = count;
            this.sum = sum;
            this.min = min;
            this.max = max;
            this.unit = unit;
        }

        Summary summary() {
            Double lo = min == null ? null : min.doubleValue();
            Double hi = max == null ? null : max.doubleValue();
            return new Summary(count, min, max, count == 0 ? null : sum.doubleValue() / count,
                    percentiles.percentile(0.50, lo, hi), percentiles.percentile(0.95, lo, hi), unit);
        }
    }
}
