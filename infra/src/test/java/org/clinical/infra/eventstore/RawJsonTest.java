package org.clinical.infra.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stored payload goes into an event's JSON as the object it is, byte for byte, whichever way Jackson writes: to
 * bytes (the answers and Kafka), to characters, into a buffer that has room or one that must be flushed first.
 */
class RawJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    static Stream<String> payloads() {
        return Stream.of(
                "{}",
                "{\"mrn\":\"MRN-1\",\"name\":{\"family\":\"Müller-Łukasiewicz\",\"given\":[\"Zoë\",\"李\"]}}",
                "{\"note\":\"emoji \\ud83e\\ude7a and \\\"quotes\\\" and \\\\ and \\n\",\"value\":7.20}",
                "{\"text\":\"" + "é𝄞".repeat(6_000) + "\"}",
                "{\"deep\":[[[{\"a\":null,\"b\":true,\"c\":-0.0005}]]]}");
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void a_payload_is_written_as_the_stored_object(String stored) throws Exception {
        RawJson raw = RawJson.of(stored.getBytes(StandardCharsets.UTF_8));
        JsonNode expected = mapper.readTree(stored);
        EventView view = new EventView(7, "e", "PatientRegistered", "2", "Patient", "p", 0,
                "2025-03-01T09:00:00.000000Z", "actor", "c", "c", raw);

        JsonNode fromBytes = mapper.readTree(mapper.writeValueAsBytes(view));
        JsonNode fromText = mapper.readTree(mapper.writeValueAsString(view));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        mapper.writeValue(streamed, List.of(view, view));
        StringWriter written = new StringWriter();
        mapper.writeValue(written, List.of(view, view));

        assertThat(fromBytes.get("payload")).isEqualTo(expected);
        assertThat(fromText.get("payload")).isEqualTo(expected);
        assertThat(fromBytes.get("position").asLong()).isEqualTo(7);
        for (JsonNode each : mapper.readTree(streamed.toByteArray())) {
            assertThat(each.get("payload")).isEqualTo(expected);
        }
        for (JsonNode each : mapper.readTree(written.toString())) {
            assertThat(each.get("payload")).isEqualTo(expected);
        }
        assertThat(raw.getValue()).isEqualTo(stored);
        RawJson sameBytes = RawJson.of(stored.getBytes(StandardCharsets.UTF_8));
        assertThat(raw).isEqualTo(sameBytes).hasSameHashCodeAs(sameBytes);
    }
}
