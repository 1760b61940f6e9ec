package org.clinical.query.encounter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.infra.region.Regions;
import org.clinical.infra.security.Caller;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.infra.web.NotFoundException;
import org.clinical.infra.web.Page;
import org.clinical.projections.encounter.EncounterDailyQueries;
import org.clinical.projections.encounter.EncounterDailyQueries.DailyCount;
import org.clinical.projections.readmodel.Generations;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.web.QueryParameters;
import org.clinical.query.web.QueryParameters.Days;
import org.clinical.query.web.ReadModels;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Encounters per UTC start day, cancelled ones excluded, for a tenant or summed over a region's tenants. Any
 * range of days: pages of at most {@code limit} days that have encounters, the cursor being the last day given.
 */
@RestController
@Tag(name = "Analytics")
public class EncounterAnalyticsController {

    private final ReadModels readModels;
    private final ActiveTenants tenants;
    private final Generations generations;
    private final Regions regions;

    public EncounterAnalyticsController(ReadModels readModels, ActiveTenants tenants, Generations generations,
                                        Regions regions) {
        this.readModels = readModels;
        this.tenants = tenants;
        this.generations = generations;
        this.regions = regions;
    }

    @GetMapping("/api/v1/{tenant}/analytics/encounters/daily")
    @Operation(summary = "Encounters by the UTC day they started, cancelled ones excluded",
            description = "`from` and `to` are required inclusive dates (YYYY-MM-DD, years 0001 to 9999), any range"
                    + " apart. Items are ordered by day; days without encounters are omitted. Cursor-paginated"
                    + " (`limit` default 100, at most 1000; keyset on the day). `facilityId` and `class` (AMB, EMER,"
                    + " IMP, VR, HH) narrow the count.")
    public Page<DailyCount> daily(@PathVariable("tenant") String tenant,
                                  @RequestParam(name = "from", required = false) String from,
                                  @RequestParam(name = "to", required = false) String to,
                                  @RequestParam(name = "facilityId", required = false) String facilityId,
                                  @RequestParam(name = "class", required = false) String encounterClass,
                                  @RequestParam(name = "limit", required = false) Integer limit,
                                  @RequestParam(name = "cursor", required = false) String cursor,
                                  HttpServletRequest request) {
        DayPage page = DayPage.of(Days.of(from, to), limit, cursor);
        UUID facility = facilityId == null || facilityId.isEmpty() ? null
                : QueryParameters.uuid("facilityId", facilityId);
        EncounterClass kind = encounterClass == null || encounterClass.isEmpty() ? null
                : QueryParameters.encounterClass("class", encounterClass);
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION),
                EncounterReadsController.ENCOUNTERS);
        if (page.isPastTheEnd()) {
            return new Page<>(List.of(), null);
        }
        return page.of(EncounterDailyQueries.tenant(read, page.from(), page.to(), facility, kind, page.limit() + 1));
    }

    @GetMapping("/api/v1/regions/{region}/analytics/encounters/daily")
    @Operation(summary = "Encounters by UTC start day summed over every tenant of the region, cancelled excluded",
            description = "Needs the region (or \"*\") in the token's `regions` claim: 403 otherwise, whether or"
                    + " not the region exists; 404 for a region that does not exist when the token may see every"
                    + " region or names it. `from`/`to`, `limit` and `cursor` as for a tenant; days without"
                    + " encounters are omitted. `X-Min-Position` is ignored: positions belong to one tenant's"
                    + " stream, and this sums several.")
    public Page<DailyCount> regionDaily(@PathVariable("region") String region,
                                        @RequestParam(name = "from", required = false) String from,
                                        @RequestParam(name = "to", required = false) String to,
                                        @RequestParam(name = "limit", required = false) Integer limit,
                                        @RequestParam(name = "cursor", required = false) String cursor) {
        if (!Caller.current().mayTouchRegion(region)) {
            throw new AccessDeniedException("the token's regions do not include " + region);
        }
        if (!regions.exists(region)) {
            throw new NotFoundException("No such region");
        }
        DayPage page = DayPage.of(Days.of(from, to), limit, cursor);
        List<String> schemas = tenants.all().stream()
                .filter(t -> t.region().equals(region))
                .sorted(Comparator.comparing(Tenant::id))
                .map(this::liveSchema)
                .filter(Objects::nonNull)
                .toList();
        if (schemas.isEmpty() || page.isPastTheEnd()) {
            return new Page<>(List.of(), null);
        }
        return page.of(EncounterDailyQueries.region(regions.region(region), schemas, page.from(),
                page.to(), page.limit() + 1));
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
