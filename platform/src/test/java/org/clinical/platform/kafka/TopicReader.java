package org.clinical.platform.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a topic the way a downstream system would, with a plain {@link KafkaConsumer} and no Axon: every
 * partition from its beginning to its current end, without a consumer group.
 */
public final class TopicReader {

    private static KafkaConsumer<String, byte[]> offsets;
    private static String offsetsBootstrap;

    private TopicReader() {
    }

    /** A record as read: partition, offset, key, value (UTF-8) and headers. */
    public record Read(int partition, long offset, String key, String value, Map<String, String> headers) {
    }

    /** Every record of the topic now, partition by partition in offset order; empty when the topic does not exist. */
    public static List<Read> readAll(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            if (partitions.isEmpty()) {
                return List.of();
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<Read> read = new ArrayList<>();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read " + topic + " to its end in 120 s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Map<String, String> headers = new TreeMap<>();
                    for (Header header : record.headers()) {
                        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                    }
                    read.add(new Read(record.partition(), record.offset(), record.key(),
                            new String(record.value(), StandardCharsets.UTF_8), headers));
                }
            }
            read.sort(Comparator.comparingInt(Read::partition).thenComparingLong(Read::offset));
            return read;
        }
    }

    /**
     * The records the topic holds, per partition (its end offsets); empty when it does not exist. One consumer
     * serves every call for a cluster (the contract matrix asks twice per refused request).
     */
    public static synchronized Map<Integer, Long> endOffsets(String bootstrapServers, String topic) {
        if (offsets == null || !bootstrapServers.equals(offsetsBootstrap)) {
            if (offsets != null) {
                offsets.close();
            }
            offsets = consumer(bootstrapServers);
            offsetsBootstrap = bootstrapServers;
        }
        try {
            Map<Integer, Long> ends = new TreeMap<>();
            List<TopicPartition> partitions = partitions(offsets, topic);
            if (!partitions.isEmpty()) {
                offsets.endOffsets(partitions, Duration.ofSeconds(10))
                        .forEach((partition, offset) -> ends.put(partition.partition(), offset));
            }
            return ends;
        } catch (RuntimeException e) {
            offsets.close();
            offsets = null;
            throw e;
        }
    }

    /** How many partitions the topic has; 0 when it does not exist. */
    public static int partitionCount(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            return partitions(consumer, topic).size();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(10)).get(topic);
        if (infos == null) {
            return List.of();
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }
}
