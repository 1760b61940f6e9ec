package org.clinical.infra.kafka.publish;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.clinical.infra.kafka.KafkaClients;
import org.clinical.infra.kafka.KafkaProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates each tenant's topic {@code clinical.<tenant>.events} before its first record, with the configured
 * partitions and replication factor; a topic that exists already (made by another instance, or by an operator
 * with other settings) is used as it is, and so is one the platform may not create (the cluster's ACLs): then
 * the operator creates it, and until then the publisher waits as during an outage. The topics known to exist are remembered in this JVM only, to spare a
 * request per batch: a topic deleted by hand while the platform runs is created again by the broker's
 * {@code auto.create.topics.enable} or not at all, and then the publisher waits, as during an outage.
 */
final class Topics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Topics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final KafkaClients clients;
    private final int partitions;
    private final Optional<Short> replicationFactor;
    private final Map<String, String> configs;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private Admin admin;

    Topics(KafkaClients clients, KafkaProperties kafka) {
        this.clients = clients;
        this.partitions = kafka.partitions();
        this.replicationFactor = Optional.ofNullable(kafka.replicationFactor()).map(Integer::shortValue);
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(KafkaClients.MAX_RECORD_BYTES));
        configs.putAll(kafka.topicProperties());
        this.configs = Map.copyOf(configs);
    }

    /** The topic of a tenant's events. */
    static String of(String tenantId) {
        return "clinical." + tenantId + ".events";
    }

    /** Makes sure the topic exists; throws when the cluster cannot be asked. */
    void ensure(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        if (known.contains(topic)) {
            return;
        }
        NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), replicationFactor).configs(configs);
        try {
            admin().createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created Kafka topic {} ({} partitions)", topic, partitions);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException
                    || e.getCause() instanceof ClusterAuthorizationException) {
                // a cluster where the platform may write but not create topics: the operator creates them
                log.info("Not allowed to create Kafka topic {}; publishing to it as it is", topic);
            } else if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        known.add(topic);
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = clients.common("clinical-topics");
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
