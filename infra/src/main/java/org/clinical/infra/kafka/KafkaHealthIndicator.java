package org.clinical.infra.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
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
import org.springframework.boot.actuate.health.Status;

/**
 * Actuator health of the Kafka cluster: UP when it describes itself with at least one node within about two
 * seconds, {@link #DEGRADED} otherwise: commands go on while Kafka is away (the publisher catches up when it
 * returns), so Kafka never makes the platform DOWN. The status order ({@code application.yml}) puts DEGRADED
 * between DOWN and UP, answered with 200. One admin client, created on first use, serves every check.
 */
public class KafkaHealthIndicator implements HealthIndicator, AutoCloseable {

    /** The broker cannot be reached: events wait in the event store until it can. */
    public static final Status DEGRADED = new Status("DEGRADED", "Kafka cannot be reached; events are published once it can");

    private static final int TIMEOUT_MS = 2_000;
    private static final long HARD_LIMIT_MS = TIMEOUT_MS + 500;

    private final String bootstrapServers;
    private final Map<String, Object> clientConfig;
    private Admin admin;
    private boolean closed;

    public KafkaHealthIndicator(String bootstrapServers) {
        this(new KafkaClients(bootstrapServers, Map.of()));
    }

    public KafkaHealthIndicator(KafkaClients clients) {
        this.bootstrapServers = clients.bootstrapServers();
        this.clientConfig = clients.common("clinical-health");
    }

    @Override
    public Health health() {
        Health.Builder builder = new Health.Builder().withDetail("bootstrapServers", bootstrapServers);
        try {
            DescribeClusterResult cluster = admin().describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS));
            Collection<Node> nodes = cluster.nodes().get(HARD_LIMIT_MS, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                return builder.status(DEGRADED).withDetail("error", "The cluster reports no broker nodes").build();
            }
            return builder.up()
                    .withDetail("clusterId", cluster.clusterId().get(HARD_LIMIT_MS, TimeUnit.MILLISECONDS))
                    .withDetail("nodes", nodes.size())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return degraded(builder, e);
        } catch (ExecutionException e) {
            return degraded(builder, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            return degraded(builder, e);
        }
    }

    /** The exception's class only: a message can quote configuration. */
    private static Health degraded(Health.Builder builder, Throwable cause) {
        return builder.status(DEGRADED).withDetail("error", cause.getClass().getName()).build();
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
            Map<String, Object> config = new HashMap<>(clientConfig);
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, TIMEOUT_MS / 2);
            config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, TIMEOUT_MS);
            config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, TIMEOUT_MS / 2);
            admin = Admin.create(config);
        }
        return admin;
    }
}
