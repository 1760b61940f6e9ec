package org.clinical.query.observation;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.Page;
import org.clinical.projections.observation.ObservationQueries;
import org.clinical.projections.observation.ObservationQueries.After;
import org.clinical.projections.observation.ObservationQueries.Filter;
import org.clinical.projections.observation.ObservationQueries.Observation;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.audit.AccessLog;
import org.clinical.query.web.QueryParameters;
import org.clinical.query.web.QueryParameters.CodeFilter;
import org.clinical.query.web.ReadModels;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The HTTP answer of a patient's observations list; {@link ObservationQueries} reads them. */
@RestController
@Tag(name = "Reads")
public class ObservationReadController {

    private final ReadModels readModels;
    private final AccessLog accessLog;

    public ObservationReadController(ReadModels readModels, AccessLog accessLog) {
        this.readModels = readModels;
        this.accessLog = accessLog;
    }

    public record CodeView(String system, String code, String display) {
    }

    public record RangeView(BigDecimal low, BigDecimal high) {
    }

    /**
     * @param value the contract's value form, e.g. {@code {"quantity": {"value": 72, "unit": "/min"}}}
     * @param status {@code final}, {@code amended} or {@code entered-in-error}
     * @param version the observation's version (its ETag)
     */
    public record ObservationView(UUID observationId, UUID patientId, UUID encounterId, CodeView code, String category,
                                  Instant effectiveAt, JsonNode value, RangeView referenceRange, String interpretation,
                                  String status, long version) {
    }

    @GetMapping("/api/v1/{tenant}/patients/{patientId}/observations")
    @Operation(summary = "A patient's observations, newest first by effectiveAt, cursor-paginated",
            description = "Amended and entered-in-error observations stay in the list with their status. `code` is"
                    + " `system|code` or a bare code (any system); `from`/`to` are ISO-8601 instants with offset,"
                    + " both inclusive, on effectiveAt. Pages stay stable while observations are added: the cursor"
                    + " is the (effectiveAt, observationId) of the last item.")
    public Page<ObservationView> list(@PathVariable("tenant") String tenant, @PathVariable("patientId") UUID patientId,
                                      @Parameter(description = "system|code, or a bare code")
                                      @RequestParam(name = "code", required = false) String code,
                                      @Parameter(description = "ISO-8601 instant, inclusive")
                                      @RequestParam(name = "from", required = false) String from,
                                      @Parameter(description = "ISO-8601 instant, inclusive")
                                      @RequestParam(name = "to", required = false) String to,
                                      @RequestParam(name = "limit", required = false) Integer limit,
                                      @RequestParam(name = "cursor", required = false) String cursor,
                                      HttpServletRequest request) {
        CodeFilter codeFilter = CodeFilter.parse("code", code, false);
        Instant fromAt = QueryParameters.instant("from", from);
        Instant toAt = QueryParameters.instant("to", to);
        int size = Page.limit(limit);
        After after = Cursor.read(cursor, 2, parts -> new After(parts.instant(), parts.uuid()));
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), "observations",
                ReadModels.PATIENTS);
        ReadModels.requireKnownPatient(read, patientId);
        Filter filter = codeFilter == null ? new Filter(null, null, fromAt, toAt)
                : new Filter(codeFilter.system(), codeFilter.code(), fromAt, toAt);
        List<ObservationView> rows = ObservationQueries.ofPatient(read, patientId, filter, after, size + 1).stream()
                .map(ObservationReadController::view).toList();
        accessLog.record(request, read.tenant(), patientId);
        return Page.of(rows, size, v -> Cursor.after(v.effectiveAt(), v.observationId()));
    }

    private static ObservationView view(Observation o) {
        return new ObservationView(o.observationId(), o.patientId(), o.encounterId(),
                new CodeView(o.codeSystem(), o.code(), o.codeDisplay()), o.category(), o.effectiveAt(), o.value(),
                o.rangeLow() == null && o.rangeHigh() == null ? null : new RangeView(o.rangeLow(), o.rangeHigh()),
                o.interpretation(), o.status(), o.version());
    }
}
