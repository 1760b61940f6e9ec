package org.clinical.query.encounter;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.Page;
import org.clinical.projections.encounter.CensusQueries;
import org.clinical.projections.encounter.CensusQueries.Place;
import org.clinical.projections.encounter.EncounterProjection;
import org.clinical.projections.encounter.EncounterQueries;
import org.clinical.projections.encounter.EncounterQueries.Encounter;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.audit.AccessLog;
import org.clinical.query.web.ReadModels;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.clinical.query.web.QueryParameters.uuid;

/** A patient's encounters, newest first, and the census of open encounters, from the "encounters" read model. */
@RestController
@Tag(name = "Reads")
public class EncounterReadsController {

    static final String ENCOUNTERS = EncounterProjection.NAME;

    private final ReadModels readModels;
    private final ObjectMapper json;
    private final AccessLog accessLog;

    public EncounterReadsController(ReadModels readModels, ObjectMapper json, AccessLog accessLog) {
        this.readModels = readModels;
        this.json = json;
        this.accessLog = accessLog;
    }

    @Schema(description = "Where the patient was during the encounter; `to` is null while they are still there")
    public record LocationStay(String location, Instant from, Instant to) {
    }

    @Schema(description = "An encounter; `version` is the one its ETag and commands carry")
    public record EncounterView(UUID encounterId, UUID patientId,
                                @JsonProperty("class") @Schema(allowableValues = {"AMB", "EMER", "IMP", "VR", "HH"})
                                String encounterClass,
                                UUID facilityId, String location,
                                @Schema(allowableValues = {"in-progress", "finished", "cancelled"}) String status,
                                Instant startedAt,
                                @Schema(description = "when it was discharged or cancelled") Instant endedAt,
                                @Schema(description = "{system, code, display}") JsonNode reason, String disposition,
                                long version, List<LocationStay> locations) {
    }

    @Schema(description = "An open encounter in the census")
    public record CensusEncounter(UUID encounterId, UUID patientId,
                                  @JsonProperty("class") String encounterClass, Instant startedAt) {
    }

    @Schema(description = "The open encounters at one location of a facility (location null: none given)")
    public record CensusGroup(UUID facilityId, String location, int count, List<CensusEncounter> encounters) {

        String cursorAfter() {
            return Cursor.after(facilityId, location != null, location == null ? "" : location);
        }
    }

    @GetMapping("/api/v1/{tenant}/patients/{id}/encounters")
    @Operation(summary = "A patient's encounters, newest first by startedAt, with their location history",
            description = "Cursor-paginated (keyset on startedAt and encounterId: pages stay stable while new"
                    + " encounters start). 404 when the tenant has no such patient.")
    public Page<EncounterView> encounters(@PathVariable("tenant") String tenant, @PathVariable("id") String id,
                                          @RequestParam(name = "limit", required = false) Integer limit,
                                          @RequestParam(name = "cursor", required = false) String cursor,
                                          HttpServletRequest request) {
        UUID patientId = uuid("id", id);
        int size = Page.limit(limit);
        Keyset after = Keyset.read(cursor);
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), ENCOUNTERS,
                ReadModels.PATIENTS);
        ReadModels.requireKnownPatient(read, patientId);
        Page<Encounter> page = Page.of(EncounterQueries.ofPatient(read, patientId, after.startedAt(),
                after.encounterId(), size + 1), size, e -> Cursor.after(e.startedAt(), e.encounterId()));
        Map<UUID, List<EncounterQueries.LocationStay>> stays = EncounterQueries.locations(read,
                page.items().stream().map(Encounter::encounterId).toList());
        accessLog.record(request, read.tenant(), patientId);
        return new Page<>(page.items().stream().map(e -> view(e, stays.getOrDefault(e.encounterId(), List.of())))
                .toList(), page.nextCursor());
    }

    @GetMapping("/api/v1/{tenant}/census")
    @Operation(summary = "Open encounters per facility and location, with counts; cursor-paginated by group",
            description = "Items (one per facility and location, a location-less group first) are ordered by"
                    + " facilityId and location; each lists its open encounters, oldest first. `facilityId` narrows"
                    + " it to one facility. `limit` counts groups (default 100, at most 1000); a group is never split"
                    + " across pages.")
    public Page<CensusGroup> census(@PathVariable("tenant") String tenant,
                                    @RequestParam(name = "facilityId", required = false) String facilityId,
                                    @Parameter(description = "1 to 1000 groups, default 100")
                                    @RequestParam(name = "limit", required = false) Integer limit,
                                    @RequestParam(name = "cursor", required = false) String cursor,
                                    HttpServletRequest request) {
        UUID facility = facilityId == null || facilityId.isEmpty() ? null : uuid("facilityId", facilityId);
        int size = Page.limit(limit);
        Place after = Cursor.read(cursor, 3, parts -> new Place(parts.uuid(), parts.flag(), parts.text()));
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), ENCOUNTERS);
        CensusQueries.GroupPage page = CensusQueries.page(read, facility, after, size);
        List<CensusGroup> items = page.groups().stream().map(EncounterReadsController::group).toList();
        return new Page<>(items, page.more() ? items.get(items.size() - 1).cursorAfter() : null);
    }

    private EncounterView view(Encounter e, List<EncounterQueries.LocationStay> stays) {
        return new EncounterView(e.encounterId(), e.patientId(), e.encounterClass(), e.facilityId(), e.location(),
                e.status(), e.startedAt(), e.endedAt(), reason(e.reason()), e.disposition(), e.version(),
                stays.stream().map(s -> new LocationStay(s.location(), s.from(), s.to())).toList());
    }

    private static CensusGroup group(CensusQueries.Group group) {
        Place place = group.place();
        List<CensusEncounter> encounters = group.encounters().stream().map(e -> new CensusEncounter(
                e.encounterId(), e.patientId(), e.encounterClass(), e.startedAt())).toList();
        return new CensusGroup(place.facilityId(), place.located() ? place.location() : null, encounters.size(),
                encounters);
    }

    private JsonNode reason(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored reason is not JSON", e);
        }
    }

    /** The position after which the next page starts: the last item's startedAt and encounterId. */
    private record Keyset(Instant startedAt, UUID encounterId) {

        private static final Keyset FIRST = new Keyset(Instant.parse("9999-12-31T23:59:59Z"),
                new UUID(-1L, -1L));

        static Keyset read(String cursor) {
            Keyset after = Cursor.read(cursor, 2, parts -> new Keyset(parts.instant(), parts.uuid()));
            return after == null ? FIRST : after;
        }
    }
}
