package org.clinical.infra.kafka;

/** The Kafka cluster the platform talks to, as a client {@code bootstrap.servers} value. */
public record KafkaEndpoint(String bootstrapServers) {
}
