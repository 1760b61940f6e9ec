package org.clinical.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The Kafka health check against a live broker, a stopped one and a port nobody listens on: never DOWN. */
class KafkaHealthIndicatorTest {

    private static final Duration HEALTH_BUDGET = Duration.ofSeconds(3);

    @Test
    void upWhileTheBrokerRunsAndDegradedOnceItIsClosed() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0);
        try (KafkaHealthIndicator indicator = new KafkaHealthIndicator(broker.bootstrapServers())) {
            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("nodes", 1).containsKey("clusterId");

            broker.close();

            Health degraded = timed(indicator);
            assertThat(degraded.getStatus()).isEqualTo(KafkaHealthIndicator.DEGRADED);
            assertThat(degraded.getDetails()).containsKey("error");
        } finally {
            broker.close();
        }
    }

    @Test
    void degradedQuicklyWhenNothingListens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (KafkaHealthIndicator indicator = new KafkaHealthIndicator("127.0.0.1:" + closedPort)) {
            Health health = timed(indicator);

            assertThat(health.getStatus()).isEqualTo(KafkaHealthIndicator.DEGRADED);
            assertThat(health.getDetails()).containsEntry("bootstrapServers", "127.0.0.1:" + closedPort)
                    .containsKey("error");
        }
    }

    @Test
    void degradedWhenTheBootstrapAddressCannotBeUsed() {
        try (KafkaHealthIndicator indicator = new KafkaHealthIndicator("not a host list")) {
            Health health = timed(indicator);

            assertThat(health.getStatus()).isEqualTo(KafkaHealthIndicator.DEGRADED);
            assertThat(health.getDetails()).containsKey("error");
        }
    }

    private static Health timed(KafkaHealthIndicator indicator) {
        long start = System.nanoTime();
        Health health = indicator.health();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEALTH_BUDGET);
        return health;
    }
}
