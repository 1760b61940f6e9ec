package org.clinical.infra.eventstore;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * An event as the contract shows it, in {@code GET .../audit/events} and as the value of its Kafka record:
 * {@code payload} is the stored JSON object itself, {@code recordedAt} the stored time text. One mapping for
 * both, so a consumer reads the same JSON object the audit history answers.
 */
public record EventView(long position, String eventId, String type, String revision, String aggregateType,
                        String aggregateId, long sequence, String recordedAt, String actor,
                        String correlationId, String causationId, @JsonRawValue String payload) {

    public static EventView of(StoredEvent e) {
        return new EventView(e.position(), e.eventId(), e.type(), e.revision(), e.aggregateType(),
                e.aggregateId(), e.sequence(), e.recordedAt(), e.actor(), e.correlationId(), e.causationId(),
                e.payload());
    }
}
