package org.clinical.infra.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Axon's JDBC storage engine over one tenant's schema, appending a command's events in one batched
 * {@code INSERT ... RETURNING global_index}: the positions go to the {@link CommandReceipt}, so that
 * {@code X-Event-Position} costs no extra round trip.
 */
public class TenantEventStorageEngine extends JdbcEventStorageEngine {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** @param builder Axon's builder, configured with {@link #schemaFor(String)} among the rest */
    public TenantEventStorageEngine(JdbcEventStorageEngine.Builder builder) {
        super(builder);
    }

    /** Snake-case column names of the tables created by {@code db/tenant/V1_0__event_store.sql}. */
    public static EventSchema schemaFor(String tenantSchema) {
        return EventSchema.builder()
                .eventTable(tenantSchema + ".domain_event_entry")
                .snapshotTable(tenantSchema + ".snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        Connection connection = getConnection();
        try (PreparedStatement insert = insert(connection, events, serializer)) {
            insert.executeBatch();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                CommandReceipt receipt = CommandReceipt.current().orElse(null);
                for (EventMessage<?> event : events) {
                    keys.next();
                    if (receipt != null && event instanceof DomainEventMessage<?> domainEvent) {
                        receipt.appended(domainEvent.getAggregateIdentifier(), domainEvent.getSequenceNumber(),
                                keys.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            handlePersistenceException(e, events.get(0));
        } finally {
            closeQuietly(connection);
        }
    }

    private PreparedStatement insert(Connection connection, List<? extends EventMessage<?>> events,
                                     Serializer serializer) throws SQLException {
        EventSchema schema = schema();
        PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO " + schema.domainEventTable() + " (" + schema.domainEventFields() + ") "
                        + "VALUES (?,?,?,?,?,?,?,?,?)", new String[]{schema.globalIndexColumn()});
        MetaData lastMetaData = null;
        byte[] lastMetaDataBytes = null;
        for (EventMessage<?> eventMessage : events) {
            if (!(eventMessage instanceof DomainEventMessage<?> event)) {
                throw new IllegalArgumentException("only aggregate events are stored: " + eventMessage);
            }
            SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
            if (!event.getMetaData().equals(lastMetaData)) {
                // the events of one command share their metadata: serialize it once per change, not per event
                lastMetaData = event.getMetaData();
                lastMetaDataBytes = event.serializeMetaData(serializer, byte[].class).getData();
            }
            statement.setString(1, event.getIdentifier());
            statement.setString(2, event.getAggregateIdentifier());
            statement.setLong(3, event.getSequenceNumber());
            statement.setString(4, event.getType());
            writeTimestamp(statement, 5, event.getTimestamp());
            statement.setString(6, payload.getType().getName());
            statement.setString(7, payload.getType().getRevision());
            statement.setBytes(8, payload.getData());
            statement.setBytes(9, lastMetaDataBytes);
            statement.addBatch();
        }
        return statement;
    }

    /**
     * Event times at the microseconds PostgreSQL keeps elsewhere, in a fixed-width UTC form
     * ({@code 2025-03-01T08:15:00.123456Z}) so that the text column still sorts in time order.
     */
    @Override
    protected void writeTimestamp(PreparedStatement statement, int position, Instant timestamp) throws SQLException {
        statement.setString(position, TIMESTAMP.format(timestamp));
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the connection is managed by the surrounding transaction; closing only releases our handle
        }
    }
}
