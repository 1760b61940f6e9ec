package org.clinical.query.encounter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.region.Regions;
import org.clinical.infra.security.Caller;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.TenantDirectory;
import org.clinical.infra.web.NotFoundException;
import org.clinical.projections.readmodel.Generations;
import org.clinical.query.encounter.EncounterParameters.Days;
import org.clinical.query.web.ReadModels;
import org.clinical.query.web.ReadModels.Read;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Encounters per UTC start day, cancelled ones excluded, for a tenant or summed over a region's tenants. */
@RestController
@Tag(name = "Analytics")
public class EncounterAnalyticsController {

    private static final RowMapper<DailyCount> DAILY = (rs, i) -> new DailyCount(rs.getObject(1, LocalDate.class),
            rs.getLong(2));

    private final ReadModels readModels;
    private final TenantDirectory tenants;
    private final Generations generations;
    private final Regions regions;

    public EncounterAnalyticsController(ReadModels readModels, TenantDirectory tenants, Generations generations,
                                        Regions regions) {
        this.readModels = readModels;
        this.tenants = tenants;
        this.generations = generations;
        this.regions = regions;
    }

    public record DailyCount(LocalDate day, long count) {
    }

    public record DailyCounts(List<DailyCount> items) {
    }

    @GetMapping("/api/v1/{tenant}/analytics/encounters/daily")
    @Operation(summary = "Encounters by the UTC day they started, cancelled ones excluded",
            description = "`from` and `to` are required inclusive dates (YYYY-MM-DD), at most 3660 days apart."
                    + " Items are ordered by day; days without encounters are omitted. `facilityId` and `class`"
                    + " (AMB, EMER, IMP, VR, HH) narrow the count.")
    public DailyCounts daily(@PathVariable("tenant") String tenant,
                             @RequestParam(name = "from", required = false) String from,
                             @RequestParam(name = "to", required = false) String to,
                             @RequestParam(name = "facilityId", required = false) String facilityId,
                             @RequestParam(name = "class", required = false) String encounterClass,
                             HttpServletRequest request) {
        Days days = Days.of(from, to);
        List<Object> args = new ArrayList<>(List.of(days.from(), days.to()));
        StringBuilder where = new StringBuilder("day between ? and ?");
        if (facilityId != null && !facilityId.isEmpty()) {
            where.append(" and facility_id = ?");
            args.add(EncounterParameters.uuid("facilityId", facilityId));
        }
        if (encounterClass != null && !encounterClass.isEmpty()) {
            where.append(" and encounter_class = ?");
            args.add(EncounterParameters.encounterClass(encounterClass).name());
        }
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION),
                EncounterReadsController.ENCOUNTERS);
        return new DailyCounts(read.jdbc().query(read.sql("select day, sum(count) from {encounters}.encounter_daily"
                + " where " + where + " group by day having sum(count) > 0 order by day"), DAILY, args.toArray()));
    }

    @GetMapping("/api/v1/regions/{region}/analytics/encounters/daily")
    @Operation(summary = "Encounters by UTC start day summed over every tenant of the region, cancelled excluded",
            description = "Needs the region in the token's `regions` claim; 404 otherwise, as for a region that does"
                    + " not exist. `from`/`to` as for a tenant; days without encounters are omitted.")
    public DailyCounts regionDaily(@PathVariable("region") String region,
                                   @RequestParam(name = "from", required = false) String from,
                                   @RequestParam(name = "to", required = false) String to) {
        if (!regions.exists(region) || !Caller.current().mayTouchRegion(region)) {
            throw new NotFoundException("No such region");
        }
        Days days = Days.of(from, to);
        List<String> schemas = tenants.all().stream()
                .filter(t -> t.region().equals(region))
                .sorted(Comparator.comparing(Tenant::id))
                .map(this::liveSchema)
                .filter(Objects::nonNull)
                .toList();
        if (schemas.isEmpty()) {
            return new DailyCounts(List.of());
        }
        String union = schemas.stream()
                .map(s -> "select day, count from " + s + ".encounter_daily where day between ? and ?")
                .collect(Collectors.joining(" union all "));
        Object[] args = schemas.stream().flatMap(s -> Stream.of(days.from(), days.to())).toArray();
        return new DailyCounts(regions.region(region).queryJdbc().query("select day, sum(count) from (" + union
                + ") d group by day having sum(count) > 0 order by day", DAILY, args));
    }

    /** A tenant whose read models are not set up yet (being created right now) has nothing to count. */
    private String liveSchema(Tenant tenant) {
        try {
            return generations.liveSchema(tenant, EncounterReadsController.ENCOUNTERS);
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
