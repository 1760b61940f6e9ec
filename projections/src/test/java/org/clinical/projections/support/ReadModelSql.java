package org.clinical.projections.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.util.PGobject;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain SQL over a read model's live generation, for assertions: {@code {s}} in a statement names its schema.
 * Column values come back as tests compare them: {@code timestamptz} as {@code Instant}, {@code date} as
 * {@code LocalDate}, arrays as lists, {@code jsonb} as a Jackson tree (equal whatever the key order).
 */
public abstract class ReadModelSql {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ColumnMapRowMapper ROWS = new ColumnMapRowMapper() {
        @Override
        protected Object getColumnValue(ResultSet rs, int index) throws SQLException {
            return switch (rs.getObject(index)) {
                case null -> null;
                case Timestamp time -> time.toInstant();
                case Date day -> day.toLocalDate();
                case Array array -> Arrays.asList((Object[]) array.getArray());
                case PGobject json when json.getType().startsWith("json") -> json(json.getValue());
                case Object value -> value;
            };
        }
    };

    /** The schema of the live generation. */
    public abstract String schema();

    protected abstract JdbcTemplate jdbc();

    /** {@code {s}} replaced by the live generation's schema. */
    public String sql(String sql) {
        return sql.replace("{s}", schema());
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        return jdbc().query(sql(sql), ROWS, args);
    }

    /** The one row the statement answers. */
    public Map<String, Object> row(String sql, Object... args) {
        List<Map<String, Object>> rows = rows(sql, args);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, got " + rows.size() + ": " + rows);
        }
        return rows.get(0);
    }

    public <T> T value(String sql, Class<T> type, Object... args) {
        return jdbc().queryForObject(sql(sql), type, args);
    }

    public long count(String sql, Object... args) {
        return value(sql, Long.class, args);
    }

    /** Every row of each table, as PostgreSQL writes a row as text, sorted: to compare a read model over time. */
    public Map<String, List<String>> tables(String... tables) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : tables) {
            rows.put(table, jdbc().queryForList(sql("select t::text from {s}." + table + " t order by 1"),
                    String.class));
        }
        return rows;
    }

    /** An expected row: column names and values in turn, nulls allowed. */
    public static Map<String, Object> columns(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    public static JsonNode json(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }
}
