package org.clinical.query.observation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.web.BadRequestException;
import org.clinical.projections.observation.ObservationStatsQueries;
import org.clinical.projections.observation.ObservationStatsQueries.Filter;
import org.clinical.projections.observation.ObservationStatsQueries.Stats;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.observation.ObservationStats.ByDay;
import org.clinical.query.observation.ObservationStats.ByFacility;
import org.clinical.query.observation.ObservationStats.Items;
import org.clinical.query.observation.ObservationStats.Summary;
import org.clinical.query.web.QueryParameters;
import org.clinical.query.web.QueryParameters.CodeFilter;
import org.clinical.query.web.ReadModels;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;

/** The HTTP answer of an observation code's statistics; {@link ObservationStatsQueries} reads the rollup. */
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
        Grouping grouping = switch (groupBy == null ? "" : groupBy) {
            case "" -> Grouping.NONE;
            case "day" -> Grouping.DAY;
            case "facility" -> Grouping.FACILITY;
            default -> throw new BadRequestException("groupBy", "must be day or facility");
        };
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), "observations");
        Filter filter = new Filter(codeFilter.system(), codeFilter.code(), fromDay, toDay);
        return switch (grouping) {
            case NONE -> ObservationStatsQueries.overall(read, filter).map(ObservationStatsController::summary)
                    .orElse(Summary.NONE);
            case DAY -> new Items<>(ObservationStatsQueries.byDay(read, filter).stream()
                    .map(d -> new ByDay(d.day(), summary(d.stats()))).toList());
            case FACILITY -> new Items<>(ObservationStatsQueries.byFacility(read, filter).stream()
                    .map(f -> new ByFacility(f.facilityId(), summary(f.stats()))).toList());
        };
    }

    private static Summary summary(Stats s) {
        return new Summary(s.count(), s.min(), s.max(), s.mean(), s.p50(), s.p95(), s.unit());
    }

    private enum Grouping { NONE, DAY, FACILITY }
}
