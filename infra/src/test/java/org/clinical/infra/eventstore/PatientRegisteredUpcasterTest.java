package org.clinical.infra.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.clinical.events.patient.Identifier;
import org.clinical.events.patient.PatientEvent;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PatientRegistered} revision 1 (no {@code identifiers}) reads back as revision 2 with an empty list,
 * through the same upcaster chain and serializer as the tenant event stores; revision 2 and other event types
 * pass through untouched.
 */
class PatientRegisteredUpcasterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant STORED_AT = Instant.parse("2025-03-01T08:15:00Z");
    private static final Map<String, String> META_DATA = Map.of("tenant", GoldenSamples.TENANT_ID,
            "actor", "dr.berg", "correlationId", "6c1d0e8f-2a4b-4c7d-9e3f-5a7b9c1d3e5f",
            "causationId", "1f3e5a7c-9b2d-4f6e-8a0c-2e4f6a8c0b1d");

    private final ClinicalSerializer serializer = ClinicalSerializer.create();
    private final EventUpcasterChain upcasters = new EventUpcasterChain(new PatientRegisteredUpcaster());

    @Test
    void revision1ReadsBackAsRevision2WithEmptyIdentifiers() {
        GenericDomainEventEntry<byte[]> stored = entry("PatientRegistered", "1", revision1Payload());

        List<IntermediateEventRepresentation> upcast = upcast(stored);

        assertThat(upcast).hasSize(1);
        IntermediateEventRepresentation representation = upcast.get(0);
        assertThat(representation.getType()).isEqualTo(new SimpleSerializedType("PatientRegistered", "2"));
        assertThat(representation.getAggregateIdentifier()).contains(GoldenSamples.PATIENT_ID.toString());
        assertThat(representation.getSequenceNumber()).contains(0L);
        assertThat(representation.getMessageIdentifier()).isEqualTo(stored.getEventIdentifier());
        assertThat(representation.getMetaData().getObject()).isEqualTo(MetaData.from(META_DATA));

        Object event = serializer.deserialize(representation.getData());

        assertThat(event).isInstanceOf(PatientEvent.PatientRegistered.class);
        PatientRegistered registered = (PatientRegistered) event;
        assertThat(registered.identifiers()).isNotNull().isEmpty();
        PatientRegistered expected = GoldenSamples.patientRegistered();
        assertThat(registered).usingRecursiveComparison().ignoringFields("identifiers").isEqualTo(expected);
        assertThat(registered).isEqualTo(withoutIdentifiers(expected));
    }

    @Test
    void revision1ReadsBackThroughTheEventStoresDeserialization() {
        GenericDomainEventEntry<byte[]> stored = entry("PatientRegistered", "1", revision1Payload());

        List<? extends DomainEventMessage<?>> messages = EventStreamUtils.asStream(
                EventStreamUtils.upcastAndDeserializeDomainEvents(Stream.of(stored), serializer, upcasters)).toList();

        assertThat(messages).hasSize(1);
        DomainEventMessage<?> message = messages.get(0);
        assertThat(message.getPayloadType()).isEqualTo(PatientRegistered.class);
        assertThat(message.getPayload()).isEqualTo(withoutIdentifiers(GoldenSamples.patientRegistered()));
        assertThat(message.getAggregateIdentifier()).isEqualTo(GoldenSamples.PATIENT_ID.toString());
        assertThat(message.getTimestamp()).isEqualTo(STORED_AT);
        assertThat(message.getMetaData()).isEqualTo(MetaData.from(META_DATA));
    }

    @Test
    void revision1ThatAlreadyNamesIdentifiersKeepsThem() {
        ObjectNode payload = goldenPatientRegistered();
        byte[] bytes = bytes(payload);

        IntermediateEventRepresentation representation =
                upcast(entry("PatientRegistered", "1", bytes)).get(0);

        assertThat(representation.getType().getRevision()).isEqualTo("2");
        PatientRegistered registered = (PatientRegistered) serializer.deserialize(representation.getData());
        assertThat(registered.identifiers())
                .containsExactly(new Identifier("urn:oid:1.2.752.129.2.1.3.1", "198004021234"));
    }

    @Test
    void revision2PassesThroughUnchanged() {
        byte[] payload = golden("PatientRegistered");
        GenericDomainEventEntry<byte[]> stored = entry("PatientRegistered", "2", payload);

        IntermediateEventRepresentation representation = upcast(stored).get(0);

        assertThat(representation.getType()).isEqualTo(new SimpleSerializedType("PatientRegistered", "2"));
        assertThat(representation.getData(byte[].class).getData()).isEqualTo(payload);
        Object event = serializer.deserialize(representation.getData());
        assertThat(event).isEqualTo(GoldenSamples.patientRegistered());
    }

    @Test
    void otherRevision1EventsPassThroughUnchanged() {
        byte[] payload = golden("PatientDemographicsUpdated");
        GenericDomainEventEntry<byte[]> stored = entry("PatientDemographicsUpdated", "1", payload);

        IntermediateEventRepresentation representation = upcast(stored).get(0);

        assertThat(representation.getType()).isEqualTo(new SimpleSerializedType("PatientDemographicsUpdated", "1"));
        assertThat(representation.getData(byte[].class).getData()).isEqualTo(payload);
        Object event = serializer.deserialize(representation.getData());
        assertThat(event).isEqualTo(GoldenSamples.patientDemographicsUpdated());
    }

    @Test
    void theRevision1FormIsTheGoldenFormWithoutIdentifiers() {
        JsonNode revision1 = readTree(revision1Payload());

        assertThat(revision1.has("identifiers")).isFalse();
        assertThat(revision1.has("patientId")).isTrue();
        assertThat(revision1.has("mrn")).isTrue();
        assertThat(revision1.has("telecom")).isTrue();
    }

    private List<IntermediateEventRepresentation> upcast(GenericDomainEventEntry<byte[]> stored) {
        return upcasters.upcast(Stream.of(new InitialEventRepresentation(stored, serializer))).toList();
    }

    private GenericDomainEventEntry<byte[]> entry(String payloadType, String revision, byte[] payload) {
        byte[] metaData = serializer.serialize(MetaData.from(META_DATA), byte[].class).getData();
        return new GenericDomainEventEntry<>("Patient", GoldenSamples.PATIENT_ID.toString(), 0L,
                "3a5c7e9b-1d2f-4a6c-8e0b-4d6f8a0c2e47", STORED_AT, payloadType, revision, payload, metaData);
    }

    /** The pilot's stored form: today's golden JSON without {@code identifiers}. */
    private static byte[] revision1Payload() {
        ObjectNode payload = goldenPatientRegistered();
        payload.remove("identifiers");
        return bytes(payload);
    }

    private static PatientRegistered withoutIdentifiers(PatientRegistered event) {
        return new PatientRegistered(event.patientId(), event.mrn(), event.name(), event.birthDate(), event.gender(),
                List.of(), event.telecom(), event.address());
    }

    private static ObjectNode goldenPatientRegistered() {
        return (ObjectNode) readTree(golden("PatientRegistered"));
    }

    private static byte[] golden(String file) {
        return GoldenSamples.golden(file)
                .orElseThrow(() -> new AssertionError("missing golden file golden/" + file + ".json"));
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
