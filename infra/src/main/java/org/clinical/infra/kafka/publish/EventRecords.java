package org.clinical.infra.kafka.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.clinical.infra.eventstore.EventView;
import org.clinical.infra.eventstore.StoredEvent;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Kafka record of a stored event: key the aggregate id (so each patient's, encounter's and observation's
 * events share a partition, in order), value the {@link EventView} JSON object that {@code GET .../audit/events}
 * answers for it, made by the same mapping and the application's {@link ObjectMapper}, and headers that let a
 * consumer route and deduplicate without parsing the value: {@code eventId}, {@code type}, {@code revision},
 * {@code tenant}, {@code position}, {@code sequence} and {@code correlationId} (UTF-8 text; {@code revision} and {@code correlationId} only when
 * the event has one).
 */
final class EventRecords {

    private final ObjectMapper json;

    EventRecords(ObjectMapper json) {
        this.json = json;
    }

    ProducerRecord<String, byte[]> of(String topic, String tenantId, StoredEvent event) {
        byte[] value;
        try {
            value = json.writeValueAsBytes(EventView.of(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, event.aggregateId(), value);
        Headers headers = record.headers();
        add(headers, "eventId", event.eventId());
        add(headers, "type", event.type());
        add(headers, "revision", event.revision());
        add(headers, "tenant", tenantId);
        add(headers, "position", String.valueOf(event.position()));
        add(headers, "sequence", String.valueOf(event.sequence()));
        add(headers, "correlationId", event.correlationId());
        return record;
    }

    private static void add(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
