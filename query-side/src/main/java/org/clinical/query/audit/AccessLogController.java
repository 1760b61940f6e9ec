package org.clinical.query.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.region.Regions;
import org.clinical.infra.security.TenantAccess;
import org.clinical.infra.tenant.Tenant;
import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.Page;
import org.clinical.infra.web.StoredPosition;
import org.clinical.query.audit.AccessLogQueries.After;
import org.clinical.query.audit.AccessLogQueries.Filter;
import org.clinical.query.web.QueryParameters;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Who read which patient's data, when, through which endpoint (auditor): the tenant's {@link AccessLog}. */
@RestController
@Tag(name = "Audit (auditor)")
public class AccessLogController {

    static final int ACTOR_MAX_LENGTH = 1000;

    private final TenantAccess access;
    private final StoredPosition stored;
    private final Regions regions;

    public AccessLogController(TenantAccess access, StoredPosition stored, Regions regions) {
        this.access = access;
        this.stored = stored;
        this.regions = regions;
    }

    @Schema(description = "One patient's data read by one request (a search answering several patients makes one"
            + " entry per patient)")
    public record AccessLogItem(
            @Schema(description = "the entry's number, increasing with every entry of the region") long id,
            @Schema(description = "when the read was answered (microseconds)") Instant readAt,
            @Schema(description = "the tenant of the path") String tenant,
            @Schema(description = "whose data was read") UUID patientId,
            @Schema(description = "who read it: the token's sub") String actor,
            @Schema(description = "the roles the token held") List<String> roles,
            @Schema(description = "the method and route template of the read, without the query string, e.g."
                    + " `GET /api/v1/{tenant}/patients/{id}`") String endpoint,
            @Schema(description = "the request's X-Correlation-Id (given or made)") String correlationId,
            @Schema(description = "the X-Purpose-Of-Use header the client sent, or null") String purposeOfUse) {
    }

    @GetMapping("/api/v1/{tenant}/audit/access-log")
    @Operation(summary = "Who read which patient's data, when, through which endpoint; cursor-paginated",
            description = "Role auditor. Every answered read of patient-level data (summary, search results, encounters,"
                    + " observations, latest vitals, the audit history and chart as of an instant of a patient) made one entry per patient"
                    + " before it was answered; refused or failed reads (400, 403, 404, 503) made none. Oldest first"
                    + " by readAt then id; `from`/`to` are inclusive instants. An entry commits within about"
                    + " clinical.audit.access-log.max-wait (2 s) after its readAt: a client following the log"
                    + " should stay that far behind now.")
    public Page<AccessLogItem> list(@PathVariable("tenant") String tenant,
                                    @Parameter(description = "a patient id") @RequestParam(name = "patientId", required = false) String patientId,
                                    @Parameter(description = "the reader: a token's sub") @RequestParam(name = "actor", required = false) String actor,
                                    @Parameter(description = "ISO-8601 instant, inclusive") @RequestParam(name = "from", required = false) String from,
                                    @Parameter(description = "ISO-8601 instant, inclusive") @RequestParam(name = "to", required = false) String to,
                                    @Parameter(description = "1 to 1000, default 100") @RequestParam(name = "limit", required = false) Integer limit,
                                    @RequestParam(name = "cursor", required = false) String cursor,
                                    HttpServletRequest request) {
        Filter filter = filter(patientId, actor, from, to);
        int size = Page.limit(limit);
        After after = Cursor.read(cursor, 2, parts -> new After(parts.instant(), parts.number()));
        Tenant t = access.require(tenant);
        stored.await(t, request.getHeader(StoredPosition.HEADER));
        List<AccessLogItem> rows = AccessLogQueries.page(regions.region(t.region()).queryJdbc(), t.id(), filter,
                after, size + 1);
        return Page.of(rows, size, item -> Cursor.after(item.readAt(), item.id()));
    }

    private static Filter filter(String patientId, String actor, String from, String to) {
        UUID patient = patientId == null || patientId.isBlank() ? null : QueryParameters.uuid("patientId", patientId);
        Instant fromAt = QueryParameters.instant("from", from);
        Instant toAt = QueryParameters.instant("to", to);
        if (fromAt != null && toAt != null && toAt.isBefore(fromAt)) {
            throw new BadRequestException("to", "must not be before from");
        }
        return new Filter(patient, actor(actor), fromAt, toAt);
    }

    private static String actor(String actor) {
        if (actor == null || actor.isEmpty()) {
            return null;
        }
        if (actor.length() > ACTOR_MAX_LENGTH || actor.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestException("actor", "must be at most " + ACTOR_MAX_LENGTH
                    + " characters without control characters");
        }
        return actor;
    }
}
