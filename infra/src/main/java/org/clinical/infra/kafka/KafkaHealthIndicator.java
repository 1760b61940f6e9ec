package org.clinical.infra.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of the Kafka cluster: UP when it describes itself with at least one node within
 * about two seconds, DOWN otherwise. One admin client, created on first use, serves every check.
 */
public class KafkaHealthIndicator implements HealthIndicator, AutoCloseable {

    private static final int TIMEOUT_MS = 2_000;
    private static final long HARD_LIMIT_MS = TIMEOUT_MS + 500;

    private final String bootstrapServers;
    private Admin admin;
    private boolean closed;

    public KafkaHealthIndicator(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public Health health() {
        Health.Builder builder = new Health.Builder().withDetail("bootstrapServers", bootstrapServers);
        try {
            DescribeClusterResult cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
            Collection<Node> nodes = cluster.nodes().get(HARD_LIMIT_MS, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                return builder.down().withDetail("error", "The cluster reports no broker nodes").build();
            }
            return builder.up()
                    .withDetail("clusterId", cluster.clusterId().get(HARD_LIMIT_MS, TimeUnit.MILLISECONDS))
                    .withDetail("nodes", nodes.size())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return builder.down(e).build();
        } catch (ExecutionException e) {
            return builder.down(e.getCause()).build();
        } catch (TimeoutException | RuntimeException e) {
            return builder.down(e).build();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("The Kafka health indicator is closed");
        }
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG, "clinical-health",
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
                    AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, TIMEOUT_MS / 2,
                    AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, TIMEOUT_MS,
                    AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, TIMEOUT_MS / 2));
        }
        return admin;
    }
}
