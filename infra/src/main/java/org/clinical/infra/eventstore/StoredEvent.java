package org.clinical.infra.eventstore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * An event as stored in its tenant's {@code domain_event_entry}, read straight from the row, never deserialized:
 * {@code recordedAt} the stored time text (6 fraction digits), {@code payload} the stored JSON object's bytes,
 * {@code actor}, {@code correlationId} and {@code causationId} from its stored metadata. What the audit history
 * answers and what Kafka carries ({@link EventView}) are made from it, so both are the same bytes.
 */
public record StoredEvent(long position, String eventId, String type, String revision, String aggregateType,
                         String aggregateId, long sequence, String recordedAt, String actor,
                         String correlationId, String causationId, RawJson payload) {

    /**
     * The SELECT list of {@link #row}, over {@code domain_event_entry e}. The metadata is selected as stored and its
     * three fields read here: extracting them in SQL ({@code ::jsonb ->> ...}) was most of PostgreSQL's time for a
     * long history (35 to 80 of 100 ms for 10,102 events read by their rows' places), on the one process every
     * read and write of the region shares. The payload is selected as text, so that the driver hands over its
     * UTF-8 bytes as they came ({@code getBytes} on a text column) rather than the hex of a {@code bytea}.
     */
    public static final String COLUMNS = """
            select e.global_index, e.event_identifier, e.payload_type, e.payload_revision, e.type,
                   e.aggregate_identifier, e.sequence_number, e.time_stamp, e.meta_data,
                   convert_from(e.payload, 'UTF8')
            """;

    /** The stored metadata of {@code e} as {@code m.meta} (jsonb), for a filter on one of its fields. */
    public static final String META = """
            cross join lateral (select convert_from(e.meta_data, 'UTF8')::jsonb as meta) m
            """;

    /** Jackson's default read limits (nesting, lengths): the metadata is the platform's own, a few fields deep. */
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREES = new ObjectMapper(JSON);

    /** One row of a query selecting {@link #COLUMNS}. */
    public static StoredEvent row(ResultSet rs, int rowNumber) throws SQLException {
        String[] meta = metadata(rs.getBytes(9));
        return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getString(8), meta[0], meta[1], meta[2],
                RawJson.of(rs.getBytes(10)));
    }

    /**
     * The metadata's {@code actor}, {@code correlationId} and {@code causationId} as PostgreSQL's {@code ->>}
     * gives them: a string's text, null for a missing field or a JSON null, the JSON text of any other value.
     */
    public static String[] metadata(byte[] stored) {
        String[] fields = new String[3];
        if (stored == null) {
            return fields;
        }
        try (JsonParser parser = JSON.createParser(stored)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("stored metadata is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                int field = switch (parser.currentName()) {
                    case "actor" -> 0;
                    case "correlationId" -> 1;
                    case "causationId" -> 2;
                    default -> -1;
                };
                JsonToken value = parser.nextToken();
                if (field < 0) {
                    parser.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    fields[field] = parser.getText();
                } else if (value == JsonToken.VALUE_NULL) {
                    fields[field] = null;
                } else {
                    fields[field] = TREES.readTree(parser).toString();
                }
            }
            return fields;
        } catch (IOException e) {
            throw new IllegalStateException("stored metadata is not JSON", e);
        }
    }
}
