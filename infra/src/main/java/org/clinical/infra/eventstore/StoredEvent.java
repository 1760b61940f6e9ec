package org.clinical.infra.eventstore;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * An event as stored in its tenant's {@code domain_event_entry}, read straight from the row, never deserialized:
 * {@code recordedAt} the stored time text (6 fraction digits), {@code payload} the stored JSON object's text,
 * {@code actor}, {@code correlationId} and {@code causationId} from its stored metadata. What the audit history
 * answers and what Kafka carries ({@link EventView}) are made from it, so both are the same bytes.
 */
public record StoredEvent(long position, String eventId, String type, String revision, String aggregateType,
                         String aggregateId, long sequence, String recordedAt, String actor,
                         String correlationId, String causationId, String payload) {

    /** The SELECT list of {@link #row}, over {@code domain_event_entry e} joined with {@link #META}. */
    public static final String COLUMNS = """
            select e.global_index, e.event_identifier, e.payload_type, e.payload_revision, e.type,
                   e.aggregate_identifier, e.sequence_number, e.time_stamp, m.meta ->> 'actor',
                   m.meta ->> 'correlationId', m.meta ->> 'causationId', convert_from(e.payload, 'UTF8')
            """;

    /** The stored metadata of {@code e} as {@code m.meta} (jsonb). */
    public static final String META = """
            cross join lateral (select convert_from(e.meta_data, 'UTF8')::jsonb as meta) m
            """;

    /** One row of a query selecting {@link #COLUMNS}. */
    public static StoredEvent row(ResultSet rs, int rowNumber) throws SQLException {
        return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12));
    }
}
