package org.clinical.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.eventstore.EventView;
import org.clinical.infra.eventstore.StoredEvent;
import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.NotFoundException;
import org.clinical.infra.web.Page;
import org.clinical.projections.audit.AuditProjection;
import org.clinical.projections.audit.AuditQueries;
import org.clinical.projections.audit.AuditQueries.Filter;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.web.QueryParameters;
import org.clinical.query.web.ReadModels;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The event history (auditor): the tenant's stored events, exactly as stored, in stream order, and the history
 * of one patient, its encounters and observations and the patients merged into it ({@link AuditQueries}).
 * Cursor-paginated by position, or with {@code Accept: application/x-ndjson} every matching event streamed one
 * JSON object per line, never held whole; {@code X-Min-Position} waits for the "audit" projection.
 */
@RestController
@Tag(name = "Audit (auditor)")
public class AuditController {

    static final String NDJSON = "application/x-ndjson";
    private static final int NDJSON_BUFFER = 64 * 1024;

    private final ReadModels readModels;
    private final ObjectMapper json;
    private final AccessLog accessLog;

    public AuditController(ReadModels readModels, ObjectMapper json, AccessLog accessLog) {
        this.readModels = readModels;
        this.json = json;
        this.accessLog = accessLog;
    }

    @GetMapping("/api/v1/{tenant}/audit/events")
    @Operation(summary = "The tenant's stored events in stream order, cursor-paginated",
            description = "Role auditor. Each event as stored: recordedAt is the stored time (6 fraction digits),"
                    + " revision the stored payload revision, payload the stored JSON object. The cursor is the"
                    + " position of the last item.")
    public Page<EventView> events(@PathVariable("tenant") String tenant,
                                  @Parameter(description = "ISO-8601 instant, inclusive")
                                  @RequestParam(name = "from", required = false) String from,
                                  @Parameter(description = "ISO-8601 instant, inclusive")
                                  @RequestParam(name = "to", required = false) String to,
                                  @Parameter(description = "an event type, e.g. PatientRegistered")
                                  @RequestParam(name = "type", required = false) String type,
                                  @Parameter(description = "who sent the command (the token's sub)")
                                  @RequestParam(name = "actor", required = false) String actor,
                                  @RequestParam(name = "aggregateId", required = false) String aggregateId,
                                  @RequestParam(name = "limit", required = false) Integer limit,
                                  @RequestParam(name = "cursor", required = false) String cursor,
                                  HttpServletRequest request) {
        Filter filter = filter(from, to, type, actor, aggregateId);
        int size = Page.limit(limit);
        long after = after(cursor);
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), AuditProjection.NAME);
        return page(AuditQueries.events(read, filter, after, size + 1), size);
    }

    @GetMapping("/api/v1/{tenant}/audit/patients/{patientId}/events")
    @Operation(summary = "Every event about a patient, in stream order, cursor-paginated",
            description = "Role auditor. The patient's own events, every event of its encounters and observations,"
                    + " and those of the patients merged into it; 404 for a patient the tenant does not know.")
    public Page<EventView> ofPatient(@PathVariable("tenant") String tenant,
                                     @PathVariable("patientId") UUID patientId,
                                     @RequestParam(name = "limit", required = false) Integer limit,
                                     @RequestParam(name = "cursor", required = false) String cursor,
                                     HttpServletRequest request) {
        int size = Page.limit(limit);
        long after = after(cursor);
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), AuditProjection.NAME);
        if (!AuditQueries.knownPatient(read, patientId)) {
            throw new NotFoundException("No patient " + patientId);
        }
        Page<EventView> page = page(AuditQueries.ofPatient(read, patientId, after, size + 1), size);
        accessLog.record(request, read.tenant(), patientId);
        return page;
    }

    @GetMapping(path = "/api/v1/{tenant}/audit/events", produces = NDJSON)
    @Operation(summary = "Every matching event of the tenant's stream, one JSON object per line",
            description = "Role auditor, with Accept: application/x-ndjson. The same filters and items as the"
                    + " paginated list, all of them, streamed in stream order; a cursor starts after its position.")
    public ResponseEntity<StreamingResponseBody> streamEvents(
            @PathVariable("tenant") String tenant,
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "type", required = false) String type,
            @RequestParam(name = "actor", required = false) String actor,
            @RequestParam(name = "aggregateId", required = false) String aggregateId,
            @RequestParam(name = "cursor", required = false) String cursor,
            HttpServletRequest request) {
        Filter filter = filter(from, to, type, actor, aggregateId);
        long after = after(cursor);
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), AuditProjection.NAME);
        return ndjson(out -> AuditQueries.streamEvents(read, filter, after, line(out)));
    }

    @GetMapping(path = "/api/v1/{tenant}/audit/patients/{patientId}/events", produces = NDJSON)
    @Operation(summary = "Every event about a patient, one JSON object per line",
            description = "Role auditor, with Accept: application/x-ndjson. The same items as the paginated list,"
                    + " all of them, streamed in stream order; a cursor starts after its position.")
    public ResponseEntity<StreamingResponseBody> streamOfPatient(@PathVariable("tenant") String tenant,
                                                                 @PathVariable("patientId") UUID patientId,
                                                                 @RequestParam(name = "cursor", required = false)
                                                                 String cursor,
                                                                 HttpServletRequest request) {
        long after = after(cursor);
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), AuditProjection.NAME);
        if (!AuditQueries.knownPatient(read, patientId)) {
            throw new NotFoundException("No patient " + patientId);
        }
        accessLog.record(request, read.tenant(), patientId);
        return ndjson(out -> AuditQueries.streamOfPatient(read, patientId, after, line(out)));
    }

    /**
     * The lines go out in pieces of {@link #NDJSON_BUFFER} bytes: the container's own buffer (8 KiB) sent a chunk,
     * and made a write to the socket, every eight or nine events.
     */
    private static ResponseEntity<StreamingResponseBody> ndjson(StreamingResponseBody body) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(NDJSON)).body(out -> {
            BufferedOutputStream buffered = new BufferedOutputStream(out, NDJSON_BUFFER);
            body.writeTo(buffered);
            buffered.flush();
        });
    }

    /** Writes each event as one line of JSON, as it comes from the database. */
    private Consumer<StoredEvent> line(OutputStream out) {
        return event -> {
            try {
                out.write(json.writeValueAsBytes(EventView.of(event)));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static Filter filter(String from, String to, String type, String actor, String aggregateId) {
        return new Filter(QueryParameters.instant("from", from), QueryParameters.instant("to", to),
                blankAsNull(type), blankAsNull(actor), blankAsNull(aggregateId));
    }

    private static Page<EventView> page(List<StoredEvent> rows, int size) {
        return Page.of(rows.stream().map(EventView::of).toList(), size, e -> Cursor.after(e.position()));
    }

    private static long after(String cursor) {
        Long position = Cursor.read(cursor, 1, Cursor.Parts::number);
        return position == null ? 0 : position;
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
