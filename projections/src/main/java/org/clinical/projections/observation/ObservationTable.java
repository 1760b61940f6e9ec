package org.clinical.projections.observation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.clinical.events.common.Coding;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.ReferenceRange;
import org.clinical.projections.readmodel.ReadModelBatch;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.clinical.projections.observation.SqlValues.number;
import static org.clinical.projections.observation.SqlValues.text;
import static org.clinical.projections.observation.SqlValues.time;
import static org.clinical.projections.observation.SqlValues.uuid;

/** Writes and reads rows of {@code observation}: one batched insert, one read and one batched update per batch. */
final class ObservationTable {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private static final String COLUMNS = "observation_id, patient_id, encounter_id, facility_id, code_system, code,"
            + " code_display, category, effective_at, value, value_num, unit, range_low, range_high, interpretation,"
            + " status, version, recorded_at, updated_at, amendment_reason, error_reason";

    private static final String INSERT = "insert into {s}.observation (" + COLUMNS + ") values"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (observation_id, effective_at) do nothing";

    private static final String UPDATE = "update {s}.observation set value = ?::jsonb, value_num = ?, unit = ?,"
            + " range_low = ?, range_high = ?, interpretation = ?, status = ?, version = ?, updated_at = ?,"
            + " amendment_reason = ?, error_reason = ? where observation_id = ? and effective_at = ? and version < ?";

    private ObservationTable() {
    }

    static void insert(ReadModelBatch batch, Collection<ObservationRow> rows) {
        if (!rows.isEmpty()) {
            batch.jdbc().batchUpdate(batch.sql(INSERT), rows.stream().map(ObservationTable::insertArgs).toList());
        }
    }

    static void update(ReadModelBatch batch, Collection<ObservationRow> rows) {
        if (!rows.isEmpty()) {
            batch.jdbc().batchUpdate(batch.sql(UPDATE), rows.stream().map(ObservationTable::updateArgs).toList());
        }
    }

    /** The rows of these observations, by id. */
    static Map<UUID, ObservationRow> load(ReadModelBatch batch, Collection<UUID> ids) {
        Map<UUID, ObservationRow> rows = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        batch.jdbc().query(con -> {
            var ps = con.prepareStatement(batch.sql("select " + COLUMNS + " from {s}.observation"
                    + " where observation_id = any (?)"));
            ps.setArray(1, con.createArrayOf("uuid", ids.toArray()));
            return ps;
        }, rs -> {
            ObservationRow row = read(rs);
            rows.put(row.observationId, row);
        });
        return rows;
    }

    static String json(ObservationValue value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an observation value", e);
        }
    }

    /** A stored value in the contract's form, its numbers exactly as stored. */
    static JsonNode tree(String stored) {
        try {
            return JSON.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored value", e);
        }
    }

    private static Object[] insertArgs(ObservationRow row) {
        Object[] change = changeArgs(row);
        return new Object[]{uuid(row.observationId), uuid(row.patientId), uuid(row.encounterId), uuid(row.facilityId),
                row.code.system(), row.code.code(), text(row.code.display()), text(row.category), time(row.effectiveAt),
                change[0], change[1], change[2], change[3], change[4], change[5], change[6], change[7],
                time(row.recordedAt), change[8], change[9], change[10]};
    }

    private static Object[] updateArgs(ObservationRow row) {
        Object[] change = changeArgs(row);
        return new Object[]{change[0], change[1], change[2], change[3], change[4], change[5], change[6], change[7],
                change[8], change[9], change[10], uuid(row.observationId), time(row.effectiveAt), row.version};
    }

    /** value, value_num, unit, range_low, range_high, interpretation, status, version, updated_at, reasons. */
    private static Object[] changeArgs(ObservationRow row) {
        ObservationValue.Quantity quantity = row.value instanceof ObservationValue.Quantity q ? q : null;
        return new Object[]{json(row.value), number(quantity == null ? null : quantity.value()),
                text(quantity == null ? null : quantity.unit()), number(row.range == null ? null : row.range.low()),
                number(row.range == null ? null : row.range.high()), text(row.interpretation()), row.status,
                row.version, time(row.updatedAt), text(row.amendmentReason), text(row.errorReason)};
    }

    private static ObservationRow read(ResultSet rs) throws SQLException {
        ObservationRow row = new ObservationRow();
        row.observationId = rs.getObject("observation_id", UUID.class);
        row.patientId = rs.getObject("patient_id", UUID.class);
        row.encounterId = rs.getObject("encounter_id", UUID.class);
        row.facilityId = rs.getObject("facility_id", UUID.class);
        row.code = new Coding(rs.getString("code_system"), rs.getString("code"), rs.getString("code_display"));
        row.category = rs.getString("category");
        row.effectiveAt = rs.getTimestamp("effective_at").toInstant();
        try {
            row.value = JSON.readValue(rs.getString("value"), ObservationValue.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable value of observation " + row.observationId, e);
        }
        BigDecimal low = rs.getBigDecimal("range_low");
        BigDecimal high = rs.getBigDecimal("range_high");
        row.range = low == null && high == null ? null : new ReferenceRange(low, high);
        row.status = rs.getString("status");
        row.version = rs.getLong("version");
        row.recordedAt = rs.getTimestamp("recorded_at").toInstant();
        row.updatedAt = rs.getTimestamp("updated_at").toInstant();
        row.amendmentReason = rs.getString("amendment_reason");
        row.errorReason = rs.getString("error_reason");
        return row;
    }
}
