package org.clinical.infra.processing;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Axon's JDBC sequenced dead-letter queue of one processing group of one tenant, in the tenant's
 * {@code dead_letter_entry} (migration V1_4). Its statements join the transaction under way: a letter set aside
 * by a batch commits with the batch's rows and token, or not at all. Letters keep the event as stored (so a
 * retry reads it afresh), its tracking token, and a PHI-free cause.
 */
public final class DeadLetterQueues {

    /** Sequences (aggregates) and letters per sequence before the queue refuses more and the batch fails. */
    static final int MAX_SEQUENCES = 100_000;
    static final int MAX_SEQUENCE_SIZE = 100_000;
    private static final Duration CLAIM = Duration.ofSeconds(30);

    private DeadLetterQueues() {
    }

    public static String table(Tenant tenant) {
        return tenant.schema() + ".dead_letter_entry";
    }

    public static JdbcSequencedDeadLetterQueue<EventMessage<?>> queue(Tenant tenant, Regions.Region region,
                                                                      String group, Serializer serializer) {
        return JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
                .processingGroup(group)
                .connectionProvider(new SpringDataSourceConnectionProvider(region.dataSource()))
                .transactionManager(new SpringTransactionManager(region.transactionManager()))
                .schema(schema(tenant))
                .genericSerializer(serializer)
                .eventSerializer(serializer)
                .maxSequences(MAX_SEQUENCES)
                .maxSequenceSize(MAX_SEQUENCE_SIZE)
                .claimDuration(CLAIM)
                .build();
    }

    /** The sequences (aggregates) holding letters of the group. */
    public static Set<String> sequences(Tenant tenant, Regions.Region region, String group) {
        return new HashSet<>(region.jdbc().queryForList("select distinct sequence_identifier from " + table(tenant)
                + " where processing_group = ?", String.class, group));
    }

    /** The payload of an event as stored in the tenant's event store, before any upcaster. */
    static SerializedObject<byte[]> storedPayload(Tenant tenant, Regions.Region region, String eventId) {
        return region.jdbc().queryForObject("select payload, payload_type, payload_revision from " + tenant.schema()
                        + ".domain_event_entry where event_identifier = ?",
                (rs, i) -> new SimpleSerializedObject<>(rs.getBytes(1), byte[].class, rs.getString(2), rs.getString(3)),
                eventId);
    }

    private static DeadLetterSchema schema(Tenant tenant) {
        return DeadLetterSchema.builder()
                .deadLetterTable(table(tenant))
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }
}
