package org.clinical.infra.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * Where the platform finds Kafka and how it publishes ({@code clinical.kafka.*}, or env vars such as
 * {@code CLINICAL_KAFKA_BOOTSTRAP_SERVERS}): an external cluster when {@code bootstrapServers} is set, otherwise an
 * in-process broker on {@code embeddedPort} (0 picks a free port).
 *
 * @param partitions        partitions of each tenant's topic, when the platform creates it
 * @param replicationFactor replicas of each tenant's topic; null: the cluster's {@code default.replication.factor}
 * @param topicProperties   topic configurations a created topic gets, over the platform's own
 *                          ({@code retention.ms=-1}: the topic keeps the whole history; {@code max.message.bytes})
 * @param properties        passed as they are to every Kafka client of the platform (producers, admin clients):
 *                          {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, or producer tuning
 * @param publisher         the event publisher ({@link Publisher})
 */
@ConfigurationProperties(prefix = "clinical.kafka")
public record KafkaProperties(String bootstrapServers, int embeddedPort, int partitions, Integer replicationFactor,
                              Map<String, String> topicProperties, Map<String, String> properties,
                              Publisher publisher) {

    @ConstructorBinding
    public KafkaProperties(String bootstrapServers, @DefaultValue("9092") int embeddedPort,
                           @DefaultValue("16") int partitions, Integer replicationFactor,
                           Map<String, String> topicProperties, Map<String, String> properties,
                           @DefaultValue Publisher publisher) {
        if (partitions < 1) {
            throw new IllegalArgumentException("clinical.kafka.partitions must be at least 1");
        }
        if (replicationFactor != null && (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE)) {
            throw new IllegalArgumentException("clinical.kafka.replication-factor must be at least 1");
        }
        this.bootstrapServers = bootstrapServers;
        this.embeddedPort = embeddedPort;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.topicProperties = topicProperties == null ? Map.of() : Map.copyOf(topicProperties);
        this.properties = properties == null ? Map.of() : Map.copyOf(properties);
        this.publisher = publisher == null ? Publisher.DEFAULTS : publisher;
    }

    /** An external cluster or the in-process broker, with every other setting at its default. */
    public KafkaProperties(String bootstrapServers, int embeddedPort) {
        this(bootstrapServers, embeddedPort, 16, null, Map.of(), Map.of(), Publisher.DEFAULTS);
    }

    public boolean usesEmbeddedBroker() {
        return bootstrapServers == null || bootstrapServers.isBlank();
    }

    /** Where a publisher without a stored position starts. */
    public enum StartFrom {
        /** the tenant's first event: a downstream system gets the whole history */
        FIRST,
        /** the events stored after the publisher first started */
        LATEST
    }

    /**
     * The event publisher ({@code clinical.kafka.publisher.*}).
     *
     * @param enabled     false: nothing is published (the topics are not even created)
     * @param startFrom   where a tenant's publisher starts when it has no stored position yet
     * @param batchSize   events sent, awaited and committed as one batch
     * @param sendTimeout how long a batch may wait for the broker's acknowledgements before it is abandoned
     *                    and sent again later; at most 8 s, below the 10 s claim timeout of the publisher's
     *                    token, so that no other instance takes the tenant over while a batch waits
     * @param maxBackoff  the longest pause between two attempts while the broker cannot be reached (from 0.5 s,
     *                    doubling)
     * @param threads     threads shared by every tenant's publisher
     */
    public record Publisher(@DefaultValue("true") boolean enabled, @DefaultValue("first") StartFrom startFrom,
                            @DefaultValue("2000") int batchSize, @DefaultValue("8s") Duration sendTimeout,
                            @DefaultValue("30s") Duration maxBackoff, @DefaultValue("2") int threads) {

        /** Below the publisher token's claim timeout (10 s), with room for the batch's reads. */
        public static final Duration MAX_SEND_TIMEOUT = Duration.ofSeconds(8);

        public static final Publisher DEFAULTS = new Publisher(true, StartFrom.FIRST, 2000, Duration.ofSeconds(8),
                Duration.ofSeconds(30), 2);

        public Publisher {
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("clinical.kafka.publisher.batch-size must be 1 to 100000");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("clinical.kafka.publisher.threads must be at least 1");
            }
            if (sendTimeout.isNegative() || sendTimeout.isZero() || maxBackoff.isNegative() || maxBackoff.isZero()) {
                throw new IllegalArgumentException("clinical.kafka.publisher timeouts must be positive");
            }
            if (sendTimeout.compareTo(MAX_SEND_TIMEOUT) > 0) {
                throw new IllegalArgumentException("clinical.kafka.publisher.send-timeout must be at most "
                        + MAX_SEND_TIMEOUT.toSeconds() + " s (below the claim timeout of 10 s)");
            }
        }
    }
}
