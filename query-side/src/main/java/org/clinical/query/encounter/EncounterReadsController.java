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
import org.clinical.query.web.ReadModels;
import org.clinical.projections.readmodel.Read;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.clinical.projections.readmodel.Rows.instant;
import static org.clinical.query.web.QueryParameters.uuid;

/** A patient's encounters, newest first, and the census of open encounters, from the "encounters" read model. */
@RestController
@Tag(name = "Reads")
public class EncounterReadsController {

    static final String ENCOUNTERS = "encounters";

    private final ReadModels readModels;
    private final ObjectMapper json;

    public EncounterReadsController(ReadModels readModels, ObjectMapper json) {
        this.readModels = readModels;
        this.json = json;
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

    /** A census group's place in the order: facility, then no location before any location. */
    private record CensusKey(UUID facilityId, boolean located, String location) {

        /** The key after which the page starts; null for the first page. */
        static CensusKey read(String cursor) {
            return Cursor.read(cursor, 3, parts -> new CensusKey(parts.uuid(), parts.flag(), parts.text()));
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
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), ENCOUNTERS);
        read.requireRegisteredPatient(patientId);
        List<EncounterView> rows = read.jdbc().query(read.sql("""
                        select encounter_id, patient_id, encounter_class, facility_id, location, status, started_at,
                               ended_at, reason, disposition, version
                        from {encounters}.encounter
                        where patient_id = ? and (started_at, encounter_id) < (?, ?)
                        order by started_at desc, encounter_id desc limit ?"""),
                (rs, i) -> encounter(rs), patientId, after.startedAt().atOffset(ZoneOffset.UTC),
                after.encounterId(), size + 1);
        Page<EncounterView> page = Page.of(rows, size, e -> Cursor.after(e.startedAt(), e.encounterId()));
        return new Page<>(withLocations(read, page.items()), page.nextCursor());
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
        CensusKey after = CensusKey.read(cursor);
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), ENCOUNTERS);
        String order = "(facility_id, location is not null, coalesce(location, ''))";
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (after != null) {
            conditions.add(order + " > (?, ?, ?)");
            args.addAll(List.of(after.facilityId(), after.located(), after.location()));
        }
        if (facility != null) {
            conditions.add("facility_id = ?");
            args.add(facility);
        }
        String where = conditions.isEmpty() ? " where true" : " where " + String.join(" and ", conditions);
        List<CensusKey> keys = read.jdbc().query(read.sql("select distinct facility_id, location is not null,"
                        + " coalesce(location, '') from {encounters}.census" + where + " order by 1, 2, 3 limit ?"),
                (rs, i) -> new CensusKey(rs.getObject(1, UUID.class), rs.getBoolean(2), rs.getString(3)),
                java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of(size + 1)).toArray());
        if (keys.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        CensusKey last = keys.get(Math.min(keys.size(), size) - 1);
        List<Object> upTo = new ArrayList<>(args);
        upTo.addAll(List.of(last.facilityId(), last.located(), last.location()));
        Map<CensusKey, List<CensusEncounter>> groups = new LinkedHashMap<>();
        read.jdbc().query(read.sql("select facility_id, location is not null, coalesce(location, ''), encounter_id,"
                + " patient_id, encounter_class, started_at from {encounters}.census" + where
                + " and " + order + " <= (?, ?, ?)"
                + " order by facility_id, location is not null, coalesce(location, ''), started_at, encounter_id"), rs -> {
            groups.computeIfAbsent(new CensusKey(rs.getObject(1, UUID.class), rs.getBoolean(2), rs.getString(3)),
                    k -> new ArrayList<>()).add(new CensusEncounter(rs.getObject(4, UUID.class),
                    rs.getObject(5, UUID.class), rs.getString(6), instant(rs, 7)));
        }, upTo.toArray());
        List<CensusGroup> items = new ArrayList<>();
        groups.forEach((key, encounters) -> items.add(new CensusGroup(key.facilityId(),
                key.located() ? key.location() : null, encounters.size(), encounters)));
        return new Page<>(items, keys.size() > size ? items.get(items.size() - 1).cursorAfter() : null);
    }

    private List<EncounterView> withLocations(Read read, List<EncounterView> encounters) {
        if (encounters.isEmpty()) {
            return encounters;
        }
        Map<UUID, List<LocationStay>> stays = new LinkedHashMap<>();
        read.jdbc().query(read.sql("select encounter_id, location, from_at, to_at from {encounters}.encounter_location"
                        + " where encounter_id = any(?::uuid[]) order by encounter_id, seq"),
                rs -> {
                    stays.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(new LocationStay(
                            rs.getString(2), instant(rs, 3), instant(rs, 4)));
                },
                (Object) encounters.stream().map(e -> e.encounterId().toString()).toArray(String[]::new));
        return encounters.stream().map(e -> new EncounterView(e.encounterId(), e.patientId(), e.encounterClass(),
                e.facilityId(), e.location(), e.status(), e.startedAt(), e.endedAt(), e.reason(), e.disposition(),
                e.version(), stays.getOrDefault(e.encounterId(), List.of()))).toList();
    }

    private EncounterView encounter(ResultSet rs) throws SQLException {
        return new EncounterView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), instant(rs, 7),
                instant(rs, 8), reason(rs.getString(9)), rs.getString(10), rs.getLong(11), List.of());
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
