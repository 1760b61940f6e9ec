package org.clinical.infra.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings of every Kafka client the platform makes: the endpoint, then the pass-through
 * {@code clinical.kafka.properties.*} (security protocol, SASL, SSL, tuning), then what the platform needs and
 * does not let them change (serializers, idempotence, {@code acks=all}).
 */
public record KafkaClients(String bootstrapServers, Map<String, String> properties) {

    /** The largest record the platform sends: an event of the 1 MiB request body limit, with its envelope. */
    public static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

    public KafkaClients(KafkaEndpoint endpoint, KafkaProperties kafka) {
        this(endpoint.bootstrapServers(), kafka.properties());
    }

    /** The settings every client shares: bootstrap servers and the pass-through properties. */
    public Map<String, Object> common(String clientId) {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /**
     * An idempotent producer ({@code enable.idempotence}, {@code acks=all}) with one request in flight per broker,
     * that never gives up a record by itself ({@code delivery.timeout.ms} at its maximum): the publisher decides
     * when a batch has waited long enough and closes the producer, so no later record of a partition can be
     * written after an earlier one was dropped. {@code send()} waits at most {@code maxBlock} for the topic's
     * metadata.
     * <p>
     * One request in flight, not the 5 idempotence allows: a broker accepts any sequence number from a producer
     * it holds no state for (Kafka's {@code ProducerAppendInfo.checkSequence}: "accept writes with any sequence
     * number"), and the publisher makes a new producer after every failure. So when the first request of a fresh
     * producer is refused with a retriable error while the broker comes back ({@code NOT_LEADER_OR_FOLLOWER}), its
     * second request can be written, and the first one's records after it (KafkaOutageTest caught a key out of
     * order in 2 runs of 9 with 5 in flight). With one request in flight the second is sent only once the first
     * is written.
     */
    public Map<String, Object> producer(String clientId, Duration maxBlock) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
        config.putAll(common(clientId));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock.toMillis());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        return config;
    }
}
