package org.clinical.projections.observation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The reads of {@code latest_vital} (the {@link Read} must use the {@code observations} projection). */
public final class LatestVitalsQueries {

    private static final String OF_PATIENT = """
            select code_system, code, code_display, observation_id, effective_at, value, status, interpretation
            from {observations}.latest_vital where patient_id = ? order by code_system, code""";

    private LatestVitalsQueries() {
    }

    /**
     * The newest vital sign of a code that is not entered in error, with its amended value when it was amended.
     *
     * @param value the contract's value form, e.g. {@code {"quantity": {"value": 72, "unit": "/min"}}}
     */
    public record LatestVital(String codeSystem, String code, String codeDisplay, UUID observationId,
                              Instant effectiveAt, JsonNode value, String status, String interpretation) {
    }

    /**
     * A latest vital sign as {@code GET /patients/{id}} and the as-of chart answer it.
     *
     * @param code {@code {system, code, display}}
     */
    public record VitalSign(JsonNode code, UUID observationId, Instant effectiveAt, JsonNode value, String status,
                            String interpretation) {

        public static VitalSign of(String codeSystem, String code, String codeDisplay, UUID observationId,
                                   Instant effectiveAt, JsonNode value, String status, String interpretation) {
            ObjectNode coding = JsonNodeFactory.instance.objectNode().put("system", codeSystem).put("code", code);
            if (codeDisplay == null) {
                coding.putNull("display");
            } else {
                coding.put("display", codeDisplay);
            }
            return new VitalSign(coding, observationId, effectiveAt, value, status, interpretation);
        }

        public static VitalSign of(LatestVital v) {
            return of(v.codeSystem(), v.code(), v.codeDisplay(), v.observationId(), v.effectiveAt(), v.value(),
                    v.status(), v.interpretation());
        }
    }

    /** A patient's latest vital sign per code, by code system and code. */
    public static List<LatestVital> ofPatient(Read read, UUID patientId) {
        return read.jdbc().query(read.sql(OF_PATIENT), (rs, i) -> new LatestVital(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getObject(4, UUID.class), Rows.instant(rs, 5), ObservationTable.tree(rs.getString(6)),
                rs.getString(7), rs.getString(8)), patientId);
    }
}
