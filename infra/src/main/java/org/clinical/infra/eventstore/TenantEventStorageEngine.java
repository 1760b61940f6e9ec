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
 * {@code INSERT ... SELECT unnest(...) RETURNING global_index}: one statement whatever the number of events,
 * and the positions go to the {@link CommandReceipt}, so that {@code X-Event-Position} costs no extra round
 * trip.
 */
public class TenantEventStorageEngine extends JdbcEventStorageEngine {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final CommitSignal committed;

    /**
     * @param builder   Axon's builder, configured with {@link #schemaFor(String)} among the rest
     * @param committed fired after every commit that appended events
     */
    public TenantEventStorageEngine(JdbcEventStorageEngine.Builder builder, CommitSignal committed) {
        super(builder);
        this.committed = committed;
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
        try (PreparedStatement insert = insert(connection, events, serializer);
             ResultSet positions = insert.executeQuery()) {
            long last = -1;
            while (positions.next()) {
                last = Math.max(last, positions.getLong(1));
            }
            long position = last;
            CommandReceipt.current().ifPresent(receipt -> receipt.appended(events, position));
            committed.fireAfterCommit();
        } catch (SQLException e) {
            handlePersistenceException(e, events.get(0));
        } finally {
            closeQuietly(connection);
        }
    }

    /**
     * One statement for all events of a command: a plain {@code VALUES} row for one event (the cheapest for
     * PostgreSQL), and for more the columns travel as arrays that {@code unnest} turns into rows, so a batch
     * of 1,000 observations is planned and run once instead of 1,000 times.
     */
    private PreparedStatement insert(Connection connection, List<? extends EventMessage<?>> events,
                                     Serializer serializer) throws SQLException {
        int n = events.size();
        String[] ids = new String[n];
        String[] aggregateIds = new String[n];
        Long[] sequences = new Long[n];
        String[] types = new String[n];
        String[] timestamps = new String[n];
        String[] payloadTypes = new String[n];
        String[] revisions = new String[n];
        byte[][] payloads = new byte[n][];
        byte[][] metaData = new byte[n][];
        MetaData lastMetaData = null;
        byte[] lastMetaDataBytes = null;
        for (int i = 0; i < n; i++) {
            if (!(events.get(i) instanceof DomainEventMessage<?> event)) {
                throw new IllegalArgumentException("only aggregate events are stored: " + events.get(i));
            }
            SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
            if (!event.getMetaData().equals(lastMetaData)) {
                // the events of one command share their metadata: serialize it once per change, not per event
                lastMetaData = event.getMetaData();
                lastMetaDataBytes = event.serializeMetaData(serializer, byte[].class).getData();
            }
            ids[i] = event.getIdentifier();
            aggregateIds[i] = event.getAggregateIdentifier();
            sequences[i] = event.getSequenceNumber();
            types[i] = event.getType();
            timestamps[i] = TIMESTAMP.format(event.getTimestamp());
            payloadTypes[i] = payload.getType().getName();
            revisions[i] = payload.getType().getRevision();
            payloads[i] = payload.getData();
            metaData[i] = lastMetaDataBytes;
        }
        String columns = " (event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type,"
                + " payload_revision, payload, meta_data) ";
        if (n == 1) {
            PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema().domainEventTable()
                    + columns + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING global_index");
            statement.setString(1, ids[0]);
            statement.setString(2, aggregateIds[0]);
            statement.setLong(3, sequences[0]);
            statement.setString(4, types[0]);
            statement.setString(5, timestamps[0]);
            statement.setString(6, payloadTypes[0]);
            statement.setString(7, revisions[0]);
            statement.setBytes(8, payloads[0]);
            statement.setBytes(9, metaData[0]);
            return statement;
        }
        PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema().domainEventTable()
                + columns + "SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[],"
                + " ?::varchar[], ?::varchar[], ?::varchar[], ?::bytea[], ?::bytea[]) RETURNING global_index");
        statement.setArray(1, connection.createArrayOf("varchar", ids));
        statement.setArray(2, connection.createArrayOf("varchar", aggregateIds));
        statement.setArray(3, connection.createArrayOf("bigint", sequences));
        statement.setArray(4, connection.createArrayOf("varchar", types));
        statement.setArray(5, connection.createArrayOf("varchar", timestamps));
        statement.setArray(6, connection.createArrayOf("varchar", payloadTypes));
        statement.setArray(7, connection.createArrayOf("varchar", revisions));
        statement.setArray(8, connection.createArrayOf("bytea", payloads));
        statement.setArray(9, connection.createArrayOf("bytea", metaData));
        return statement;
    }

    /**
     * The events after the token and those of its gaps, the gaps as one array parameter: any number of gaps
     * (a wide gap offset allows many) stays one statement with one plan, under PostgreSQL's bind-parameter limit.
     * Primary-key reads only, whatever the plan: each gap is looked up by itself (a lateral read kept apart by
     * {@code offset 0}), then the range after the token. Written as Axon's {@code (range) OR global_index =
     * ANY(gaps)}, PostgreSQL read the whole table for a good share of the calls under load (a generic plan, or
     * the statistics of a table that was small when it was planned). Gaps always lie below the token's index,
     * so the two parts never hold the same event.
     */
    @Override
    protected PreparedStatement readEventDataWithGaps(Connection connection, long globalIndex, int batchSize,
                                                      List<Long> gaps) throws SQLException {
        String table = schema().domainEventTable();
        PreparedStatement statement = connection.prepareStatement("SELECT " + trackedEventFields() + " FROM ("
                + "SELECT x.* FROM unnest(?::bigint[]) g (position) CROSS JOIN LATERAL (SELECT * FROM " + table
                + " y WHERE y.global_index = g.position OFFSET 0) x"
                + " UNION ALL SELECT * FROM " + table + " WHERE global_index > ? AND global_index <= ?"
                + ") e ORDER BY global_index ASC");
        statement.setArray(1, connection.createArrayOf("bigint", gaps.toArray()));
        statement.setLong(2, globalIndex);
        statement.setLong(3, globalIndex + batchSize);
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
