package org.clinical.infra.kafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Kafka wiring: the {@link KafkaEndpoint} the platform talks to, the settings of its clients and its health.
 * Without {@code clinical.kafka.bootstrap-servers} it runs an in-process KRaft broker for the life of the context.
 * The publisher is wired apart ({@code publish.KafkaPublishing}): it needs the event stores.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaProperties.class)
public class KafkaConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaConfiguration.class);

    @Bean(destroyMethod = "close")
    @Conditional(NoBootstrapServersConfigured.class)
    public EmbeddedKafkaBroker embeddedKafkaBroker(KafkaProperties properties) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(properties.embeddedPort());
        log.info("In-process Kafka broker (KRaft) listening on {}", broker.bootstrapServers());
        return broker;
    }

    @Bean
    public KafkaEndpoint kafkaEndpoint(KafkaProperties properties, ObjectProvider<EmbeddedKafkaBroker> embeddedBroker) {
        if (properties.usesEmbeddedBroker()) {
            return new KafkaEndpoint(embeddedBroker.getObject().bootstrapServers());
        }
        return new KafkaEndpoint(properties.bootstrapServers().trim());
    }

    /** Every client's settings: the endpoint and the pass-through {@code clinical.kafka.properties.*}. */
    @Bean
    public KafkaClients kafkaClients(KafkaEndpoint endpoint, KafkaProperties properties) {
        return new KafkaClients(endpoint, properties);
    }

    @Bean(destroyMethod = "close")
    public KafkaHealthIndicator kafkaHealthIndicator(KafkaClients clients) {
        return new KafkaHealthIndicator(clients);
    }

    static final class NoBootstrapServersConfigured implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment())
                    .bind("clinical.kafka.bootstrap-servers", String.class)
                    .map(String::isBlank)
                    .orElse(true);
        }
    }
}
