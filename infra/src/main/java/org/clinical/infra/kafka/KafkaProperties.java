package org.clinical.infra.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the platform finds Kafka ({@code clinical.kafka.*}, or env vars such as
 * {@code CLINICAL_KAFKA_BOOTSTRAP_SERVERS}): an external cluster when {@code bootstrapServers} is set,
 * otherwise an in-process broker on {@code embeddedPort} (0 picks a free port).
 */
@ConfigurationProperties(prefix = "clinical.kafka")
public record KafkaProperties(String bootstrapServers, @DefaultValue("9092") int embeddedPort) {

    public boolean usesEmbeddedBroker() {
        return bootstrapServers == null || bootstrapServers.isBlank();
    }
}
