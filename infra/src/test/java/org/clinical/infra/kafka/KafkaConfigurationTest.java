package org.clinical.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** How {@link KafkaConfiguration} chooses between an external cluster and the in-process broker. */
class KafkaConfigurationTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withUserConfiguration(KafkaConfiguration.class);

    @Test
    void externalBootstrapServersMeanNoEmbeddedBroker() {
        contextRunner.withPropertyValues("clinical.kafka.bootstrap-servers=kafka-1.example:9092,kafka-2.example:9092")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(EmbeddedKafkaBroker.class);
                    assertThat(context.getBean(KafkaEndpoint.class).bootstrapServers())
                            .isEqualTo("kafka-1.example:9092,kafka-2.example:9092");
                    assertThat(context).hasBean("kafkaHealthIndicator");
                });
    }

    @Test
    void blankBootstrapServersStartTheEmbeddedBrokerForTheLifeOfTheContext() {
        EmbeddedKafkaBroker[] started = new EmbeddedKafkaBroker[1];
        contextRunner.withPropertyValues("clinical.kafka.bootstrap-servers= ", "clinical.kafka.embedded-port=0")
                .run(context -> {
                    EmbeddedKafkaBroker broker = context.getBean(EmbeddedKafkaBroker.class);
                    started[0] = broker;
                    assertThat(context.getBean(KafkaEndpoint.class).bootstrapServers())
                            .isEqualTo(broker.bootstrapServers());
                    assertThat(context.getBean("kafkaHealthIndicator", HealthIndicator.class).health().getStatus())
                            .isEqualTo(Status.UP);
                });
        try (KafkaHealthIndicator afterClose = new KafkaHealthIndicator(started[0].bootstrapServers())) {
            assertThat(afterClose.health().getStatus()).isEqualTo(KafkaHealthIndicator.DEGRADED);
        }
    }

    @Test
    void environmentVariablesBindThroughRelaxedBinding() {
        contextRunner.withInitializer(context -> useEnvironmentVariables(context, Map.of(
                        "CLINICAL_KAFKA_BOOTSTRAP_SERVERS", "broker.example:19092",
                        "CLINICAL_KAFKA_EMBEDDED_PORT", "19093")))
                .run(context -> {
                    assertThat(context).doesNotHaveBean(EmbeddedKafkaBroker.class);
                    assertThat(context.getBean(KafkaProperties.class))
                            .isEqualTo(new KafkaProperties("broker.example:19092", 19093));
                    assertThat(context.getBean(KafkaEndpoint.class).bootstrapServers())
                            .isEqualTo("broker.example:19092");
                });
    }

    @Test
    void securityTopicAndPublisherSettingsBindFromEnvironmentVariables() {
        contextRunner.withInitializer(context -> useEnvironmentVariables(context, Map.of(
                        "CLINICAL_KAFKA_BOOTSTRAP_SERVERS", "broker.example:19092",
                        "CLINICAL_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SASL_SSL",
                        "CLINICAL_KAFKA_PROPERTIES_SASL_MECHANISM", "SCRAM-SHA-512",
                        "CLINICAL_KAFKA_PROPERTIES_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION", "5",
                        "CLINICAL_KAFKA_PARTITIONS", "32",
                        "CLINICAL_KAFKA_REPLICATION_FACTOR", "3",
                        "CLINICAL_KAFKA_TOPICPROPERTIES_RETENTION_MS", "604800000",
                        "CLINICAL_KAFKA_PUBLISHER_START_FROM", "latest",
                        "CLINICAL_KAFKA_PUBLISHER_BATCH_SIZE", "500",
                        "CLINICAL_KAFKA_PUBLISHER_SEND_TIMEOUT", "5s")))
                .run(context -> {
                    KafkaProperties kafka = context.getBean(KafkaProperties.class);
                    assertThat(kafka.properties()).containsEntry("security.protocol", "SASL_SSL")
                            .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
                    assertThat(kafka.partitions()).isEqualTo(32);
                    assertThat(kafka.replicationFactor()).isEqualTo(3);
                    assertThat(kafka.topicProperties()).containsEntry("retention.ms", "604800000");
                    assertThat(kafka.publisher().startFrom()).isEqualTo(KafkaProperties.StartFrom.LATEST);
                    assertThat(kafka.publisher().batchSize()).isEqualTo(500);
                    assertThat(kafka.publisher().sendTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
                    assertThat(context.getBean(KafkaClients.class).producer("p", java.time.Duration.ofSeconds(1)))
                            .containsEntry("security.protocol", "SASL_SSL")
                            .containsEntry("bootstrap.servers", "broker.example:19092")
                            .containsEntry("enable.idempotence", true)
                            .containsEntry("acks", "all")
                            // one request in flight keeps a key in order with a fresh producer: not overridable
                            .containsEntry("max.in.flight.requests.per.connection", 1);
                });
    }

    @Test
    void aSendTimeoutAboveTheClaimTimeoutIsRefused() {
        contextRunner.withPropertyValues("clinical.kafka.bootstrap-servers=broker.example:9092",
                        "clinical.kafka.publisher.send-timeout=20s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void embeddedPortDefaultsTo9092() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of()));
        KafkaProperties properties = new Binder(ConfigurationPropertySources.get(environment))
                .bindOrCreate("clinical.kafka", KafkaProperties.class);

        assertThat(properties.embeddedPort()).isEqualTo(9092);
        assertThat(properties.usesEmbeddedBroker()).isTrue();
    }

    private static void useEnvironmentVariables(ConfigurableApplicationContext context, Map<String, Object> variables) {
        context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    }
}
