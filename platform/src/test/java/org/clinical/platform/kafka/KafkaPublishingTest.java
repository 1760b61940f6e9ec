package org.clinical.platform.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.clinical.infra.kafka.KafkaEndpoint;
import org.clinical.infra.kafka.publish.KafkaPublishers;
import org.clinical.platform.support.Api;
import org.clinical.platform.support.PlatformTest;
import org.clinical.platform.support.Tokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event of a tenant reaches its topic {@code clinical.<tenant>.events}, read back with a plain
 * {@code KafkaConsumer}: once each, keyed by its aggregate, in order per key, its value byte for byte the JSON
 * object {@code GET .../audit/events} answers for it, with the routing headers.
 */
class KafkaPublishingTest extends PlatformTest {

    private static final String AUDITOR = Tokens.token("auditor-kafka", List.of("auditor"), List.of("*"));

    @Autowired
    private KafkaEndpoint kafka;

    @Autowired
    private MeterRegistry meters;

    @Test
    void every_event_arrives_once_in_order_per_key_with_the_audit_json_as_its_value() {
        String tenant = newTenant();
        String facility = newFacility(tenant, "KAFKA-1");
        for (int p = 0; p < 3; p++) {
            String patient = newPatient(tenant, "MRN-KAFKA-" + p);
            String encounter = newEncounter(tenant, patient, facility, "AMB");
            for (int v = 0; v < 4; v++) {
                Api.Response recorded = api.post("/api/v1/" + tenant + "/observations").token(CLINICIAN)
                        .header("X-Correlation-Id", "kafka-" + p + "-" + v)
                        .json(heartRate(patient, encounter, 60 + v)).send();
                assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
            }
            Api.Response changed = api.put("/api/v1/" + tenant + "/patients/" + patient + "/demographics")
                    .token(CLINICIAN).json("""
                            {"name": {"family": "Byron", "given": ["Ada"]}, "birthDate": "1980-12-10",
                             "gender": "female"}""").send();
            assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        }

        JsonNode publisher = awaitPublished(tenant);
        String topic = "clinical." + tenant + ".events";
        assertThat(publisher.get("name").asText()).isEqualTo("kafka");
        assertThat(publisher.get("topic").asText()).isEqualTo(topic);
        assertThat(publisher.get("lagSeconds").asDouble()).isZero();
        assertThat(publisher.get("error").isNull()).as(publisher.toString()).isTrue();
        assertThat(TopicReader.partitionCount(kafka.bootstrapServers(), topic)).isEqualTo(16);

        List<TopicReader.Read> records = TopicReader.readAll(kafka.bootstrapServers(), topic);
        Delivery delivery = Delivery.of(tenant, records);
        assertThat(delivery.stored()).hasSize((int) eventCount(tenant));
        assertThat(delivery.missing()).as("stored events missing from the topic").isEmpty();
        assertThat(delivery.duplicates()).as("copies without any failure").isEmpty();
        assertThat(delivery.wrongKeys()).as("records not keyed by their aggregate").isEmpty();
        assertThat(delivery.outOfOrderKeys()).as("keys out of order").isEmpty();

        long head = publisher.get("head").asLong();
        awaitProjectionsCaughtUp(tenant);
        Api.Response history = api.get("/api/v1/" + tenant + "/audit/events").token(AUDITOR)
                .header("Accept", "application/x-ndjson").header("X-Min-Position", String.valueOf(head)).send();
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        Map<String, String> lines = new HashMap<>();
        for (String line : history.raw().body().split("\n")) {
            lines.put(Delivery.json(line).get("eventId").asText(), line);
        }
        assertThat(lines).hasSize(records.size());
        for (TopicReader.Read record : records) {
            String eventId = record.headers().get("eventId");
            assertThat(record.value()).as("value of " + eventId).isEqualTo(lines.get(eventId));
            JsonNode value = Delivery.json(record.value());
            assertThat(record.key()).isEqualTo(value.get("aggregateId").asText());
            assertThat(record.headers()).containsEntry("type", value.get("type").asText())
                    .containsEntry("tenant", tenant)
                    .containsEntry("position", value.get("position").asText())
                    .containsEntry("sequence", value.get("sequence").asText())
                    .containsEntry("eventId", value.get("eventId").asText());
            if (value.hasNonNull("revision")) {
                assertThat(record.headers()).containsEntry("revision", value.get("revision").asText());
            }
            if (value.hasNonNull("correlationId")) {
                assertThat(record.headers()).containsEntry("correlationId", value.get("correlationId").asText());
            }
        }
        assertThat(records.stream().map(r -> r.headers().get("correlationId")))
                .as("the correlation ids sent with the observations").contains("kafka-0-0", "kafka-2-3");

        awaitMeter(() -> meters.get("clinical.kafka.publisher.lag.events").tag("tenant", tenant).gauge().value(), 0);
        awaitMeter(() -> meters.get("clinical.kafka.publisher.lag.seconds").tag("tenant", tenant).gauge().value(), 0);
        awaitMeter(() -> meters.get("clinical.kafka.publisher.events").tag("tenant", tenant).counter().count(),
                records.size());
    }

    @Test
    void a_tenant_created_at_runtime_gets_its_topic_and_its_history_from_its_first_event() {
        String tenant = newTenant();

        awaitPublished(tenant);

        String topic = KafkaPublishers.topic(tenant);
        assertThat(TopicReader.partitionCount(kafka.bootstrapServers(), topic)).isEqualTo(16);
        List<TopicReader.Read> records = TopicReader.readAll(kafka.bootstrapServers(), topic);
        assertThat(records).extracting(r -> r.headers().get("type")).containsExactly("TenantCreated");
        Delivery delivery = Delivery.of(tenant, records);
        assertThat(delivery.missing()).isEmpty();
        assertThat(delivery.wrongKeys()).isEmpty();
    }

    private static void awaitMeter(DoubleSupplier meter, double expected) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (meter.getAsDouble() != expected) {
            assertThat(Instant.now()).as("a meter at %s, not %s", expected, meter.getAsDouble()).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
