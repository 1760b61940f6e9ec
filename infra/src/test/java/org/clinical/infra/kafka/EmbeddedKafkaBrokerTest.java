package org.clinical.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trip through the in-process KRaft broker with plain Kafka clients. */
class EmbeddedKafkaBrokerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void listensOnLoopbackWithThePickedPort() {
        assertThat(broker.port()).isPositive();
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
    }

    @Test
    void producedRecordsAreConsumedInOrder() throws Exception {
        String topic = "observations";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains(topic);
        }

        List<String> sent = IntStream.range(0, 10).mapToObj(i -> "value-" + i).toList();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            for (int i = 0; i < sent.size(); i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, sent.get(i))).get(10, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            consumer.subscribe(Set.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
        assertThat(received).extracting(ConsumerRecord::key)
                .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "key-" + i).toList());
        assertThat(received).extracting(ConsumerRecord::offset)
                .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> (long) i).toList());
    }

    @Test
    void deletesItsTemporaryLogDirOnClose() {
        EmbeddedKafkaBroker other = EmbeddedKafkaBroker.start(0);
        Path logDir = other.logDir();
        assertThat(Files.isDirectory(logDir)).isTrue();

        other.close();

        assertThat(Files.exists(logDir)).isFalse();
    }

    @Test
    void keepsTopicsInAGivenLogDirAcrossRestarts(@TempDir Path logDir) throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(0, logDir);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        assertThat(Files.isDirectory(logDir)).isTrue();

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(0, logDir);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("kept");
        }
    }

    @Test
    void stopsAndRestartsOnTheSamePortKeepingItsRecords() throws Exception {
        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(0)) {
            String bootstrap = restarted.bootstrapServers();
            Map<String, Object> producer = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> before = new KafkaProducer<>(producer)) {
                before.send(new ProducerRecord<>("outage", "k", "before")).get(10, TimeUnit.SECONDS);
            }

            restarted.stop();
            assertThat(restarted.running()).isFalse();
            restarted.restart();

            assertThat(restarted.running()).isTrue();
            assertThat(restarted.bootstrapServers()).isEqualTo(bootstrap);
            try (KafkaProducer<String, String> after = new KafkaProducer<>(producer)) {
                after.send(new ProducerRecord<>("outage", "k", "after")).get(20, TimeUnit.SECONDS);
            }
            List<String> values = new ArrayList<>();
            Map<String, Object> consumer = new HashMap<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "restart-test",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
            try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(consumer)) {
                reader.subscribe(Set.of("outage"));
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (values.size() < 2 && System.nanoTime() < deadline) {
                    reader.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                }
            }
            assertThat(values).containsExactly("before", "after");
        }
    }

    @Test
    void failsWhenTheClientPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    private static Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all");
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-broker-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    }
}
