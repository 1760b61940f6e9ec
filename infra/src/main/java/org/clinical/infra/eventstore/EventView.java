package org.clinical.infra.eventstore;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An event as the contract shows it, in {@code GET .../audit/events} and as the value of its Kafka record:
 * {@code payload} is the stored JSON object itself (its stored bytes, {@link RawJson}), {@code recordedAt} the
 * stored time text. One mapping for both, so a consumer reads the same JSON object the audit history answers.
 */
public record EventView(long position, String eventId, String type, String revision, String aggregateType,
                        String aggregateId, long sequence, String recordedAt, String actor,
                        String correlationId, String causationId,
                        @Schema(type = "object", types = "object", description = "The event's JSON object as"
                                + " stored (its fields are the event type's, see docs/events.md)") RawJson payload) {

    public static EventView of(StoredEvent e) {
        return new EventView(e.position(), e.eventId(), e.type(), e.revision(), e.aggregateType(),
                e.aggregateId(), e.sequence(), e.recordedAt(), e.actor(), e.correlationId(), e.causationId(),
                e.payload());
    }
}
