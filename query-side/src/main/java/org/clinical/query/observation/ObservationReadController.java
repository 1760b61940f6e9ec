package org.clinical.query.observation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.Page;
import org.clinical.query.web.QueryParameters;
import org.clinical.query.web.QueryParameters.CodeFilter;
import org.clinical.query.web.ReadModels;
import org.clinical.projections.readmodel.Read;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@RestController
@Tag(name = "Reads")
public class ObservationReadController {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private final ReadModels readModels;

    public ObservationReadController(ReadModels readModels) {
        this.readModels = readModels;
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
        Read read = readModels.read(tenant, request.getHeader(ReadModels.MIN_POSITION), "observations");
        read.requireRegisteredPatient(patientId);

        StringBuilder sql = new StringBuilder("select observation_id, patient_id, encounter_id, code_system, code,"
                + " code_display, category, effective_at, value, range_low, range_high, interpretation, status, version"
                + " from {observations}.observation where patient_id = ?");
        List<Object> args = new ArrayList<>(List.of(patientId));
        if (codeFilter != null) {
            sql.append(" and code = ?");
            args.add(codeFilter.code());
            if (codeFilter.system() != null) {
                sql.append(" and code_system = ?");
                args.add(codeFilter.system());
            }
        }
        if (fromAt != null) {
            sql.append(" and effective_at >= ?");
            args.add(utc(fromAt));
        }
        if (toAt != null) {
            sql.append(" and effective_at <= ?");
            args.add(utc(toAt));
        }
        if (after != null) {
            sql.append(" and (effective_at, observation_id) < (?, ?)");
            args.add(utc(after.effectiveAt()));
            args.add(after.observationId());
        }
        sql.append(" order by effective_at desc, observation_id desc limit ?");
        args.add(size + 1);
        List<ObservationView> rows = read.jdbc().query(read.sql(sql.toString()), (rs, i) -> view(rs), args.toArray());
        return Page.of(rows, size, v -> Cursor.after(v.effectiveAt(), v.observationId()));
    }

    private static ObservationView view(ResultSet rs) throws SQLException {
        BigDecimal low = rs.getBigDecimal("range_low");
        BigDecimal high = rs.getBigDecimal("range_high");
        return new ObservationView(rs.getObject("observation_id", UUID.class), rs.getObject("patient_id", UUID.class),
                rs.getObject("encounter_id", UUID.class),
                new CodeView(rs.getString("code_system"), rs.getString("code"), rs.getString("code_display")),
                rs.getString("category"), rs.getTimestamp("effective_at").toInstant(), json(rs.getString("value")),
                low == null && high == null ? null : new RangeView(low, high), rs.getString("interpretation"),
                rs.getString("status"), rs.getLong("version"));
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    static JsonNode json(String value) {
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored value", e);
        }
    }

    /** The sort key of the last item of a page. */
    private record After(Instant effectiveAt, UUID observationId) {
    }
}
