package org.clinical.command.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Optional;

/** Remembered answers of accepted commands, per tenant schema, kept for the configured retention. */
public class IdempotencyStore {

    private final ObjectMapper mapper;

    public IdempotencyStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    record Remembered(String requestHash, CommandResponse response) {
    }

    /** Waits for any other transaction using the same key in the same tenant, until this one ends. */
    void claim(JdbcTemplate jdbc, String schema, String key) {
        jdbc.query("select pg_advisory_xact_lock(hashtextextended(?, 0))",
                rs -> null, schema + ":" + key);
    }

    Optional<Remembered> find(JdbcTemplate jdbc, String schema, String key) {
        return jdbc.query(
                "select request_hash, response::text from " + schema + ".idempotency_key where key = ?",
                (rs, i) -> new Remembered(rs.getString(1), read(rs.getString(2))), key).stream().findFirst();
    }

    void remember(JdbcTemplate jdbc, String schema, String key, String requestHash, CommandResponse response) {
        jdbc.update(
                "insert into " + schema + ".idempotency_key (key, request_hash, response) values (?, ?, ?::jsonb)",
                key, requestHash, write(response));
    }

    public int purge(JdbcTemplate jdbc, String schema, Duration retention) {
        return jdbc.update("delete from " + schema
                + ".idempotency_key where created_at < now() - make_interval(secs => ?)", retention.toSeconds());
    }

    private String write(CommandResponse response) {
        try {
            return mapper.writeValueAsString(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private CommandResponse read(String json) {
        try {
            return mapper.readValue(json, CommandResponse.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
