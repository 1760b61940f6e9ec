package org.clinical.projections.observation;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.clinical.projections.observation.SqlValues.time;

/** The reads of {@code observation} (the {@link Read} must use the {@code observations} projection). */
public final class ObservationQueries {

    private static final String OF_PATIENT = """
            select observation_id, patient_id, encounter_id, code_system, code, code_display, category, effective_at,
            value, range_low, range_high, interpretation, status, version
            from {observations}.observation where patient_id = ?""";

    private ObservationQueries() {
    }

    /**
     * @param value the contract's value form, e.g. {@code {"quantity": {"value": 72, "unit": "/min"}}}
     * @param status {@code final}, {@code amended} or {@code entered-in-error}
     */
    public record Observation(UUID observationId, UUID patientId, UUID encounterId, String codeSystem, String code,
                              String codeDisplay, String category, Instant effectiveAt, JsonNode value,
                              BigDecimal rangeLow, BigDecimal rangeHigh, String interpretation, String status,
                              long version) {
    }

    /**
     * @param codeSystem null: the code in any system
     * @param code       null: every code
     * @param from       null or the first effectiveAt, inclusive
     * @param to         null or the last effectiveAt, inclusive
     */
    public record Filter(String codeSystem, String code, Instant from, Instant to) {
    }

    /** The sort key of the last observation of a page. */
    public record After(Instant effectiveAt, UUID observationId) {
    }

    /** A patient's observations, newest first by (effectiveAt, observationId), after {@code after} if not null. */
    public static List<Observation> ofPatient(Read read, UUID patientId, Filter filter, After after, int limit) {
        StringBuilder sql = new StringBuilder(OF_PATIENT);
        List<Object> args = new ArrayList<>(List.of(patientId));
        if (filter.code() != null) {
            sql.append(" and code = ?");
            args.add(filter.code());
            if (filter.codeSystem() != null) {
                sql.append(" and code_system = ?");
                args.add(filter.codeSystem());
            }
        }
        if (filter.from() != null) {
            sql.append(" and effective_at >= ?");
            args.add(time(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" and effective_at <= ?");
            args.add(time(filter.to()));
        }
        if (after != null) {
            sql.append(" and (effective_at, observation_id) < (?, ?)");
            args.add(time(after.effectiveAt()));
            args.add(after.observationId());
        }
        sql.append(" order by effective_at desc, observation_id desc limit ?");
        args.add(limit);
        return read.jdbc().query(read.sql(sql.toString()), (rs, i) -> observation(rs), args.toArray());
    }

    private static Observation observation(ResultSet rs) throws SQLException {
        return new Observation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), Rows.instant(rs, 8),
                ObservationTable.tree(rs.getString(9)), rs.getBigDecimal(10), rs.getBigDecimal(11), rs.getString(12),
                rs.getString(13), rs.getLong(14));
    }
}
