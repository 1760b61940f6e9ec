import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end latency of the Kafka publishing, as a downstream consumer sees it (benchmarks/run.sh kafka): reads
 * the records a tenant's topic receives from now on, for at most SECONDS, and for each takes the time it was
 * handed to the consumer minus the event's {@code recordedAt} (the edge's clock when the command arrived, before
 * its transaction: so the figure includes the command's own handling and slightly overstates "accepted ->
 * consumed"). Same machine, same clock. Prints "ready" once it reads from the end of every partition, and at the
 * end count, p50, p95, p99 and max in milliseconds. With RECEIVED_FILE, also writes "position epochMicros" per
 * record as it was handed over, for the latency from the command's acceptance (bench.py kafka-accepted joins it
 * with the probes' answers).
 *
 * <p>A consumer is a long-running process: run.sh starts this one before the warm-up, so that its JVM has
 * compiled its own code when the measured run starts. FROM_FILE, once it exists, holds the measured run's start
 * (epoch microseconds): only records recorded from then on are counted in the printed figures. UNTIL_FILE, which
 * run.sh writes once the platform reports every event published (acknowledged by the broker), holds the
 * position of the measured run's last probe: the consumer stops once it has been handed that record and has read
 * every partition to its end offset, so every record of the run is in hand.
 *
 * <pre>java -cp kafka-clients.jar:slf4j-api.jar benchmarks/kafka/KafkaLatency.java \
 *     BOOTSTRAP TOPIC SECONDS [RECEIVED_FILE [FROM_FILE UNTIL_FILE]]</pre>
 */
public class KafkaLatency {

    private static final Pattern RECORDED_AT = Pattern.compile("\"recordedAt\":\"([^\"]+)\"");

    public static void main(String[] args) {
        String bootstrap = args[0];
        String topic = args[1];
        long seconds = Long.parseLong(args[2]);
        Path receivedFile = args.length > 3 ? Path.of(args[3]) : null;
        Path fromFile = args.length > 5 ? Path.of(args[4]) : null;
        Path untilFile = args.length > 5 ? Path.of(args[5]) : null;
        List<String> receivedLines = new ArrayList<>();
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<long[]> latencies = new ArrayList<>();  // {recordedAt, latency}, epoch microseconds and microseconds
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("no topic " + topic);
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            System.out.println("ready");
            System.out.flush();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long newest = -1;
            Long until = null;
            while (System.nanoTime() < end) {
                if (until == null && untilFile != null) {
                    until = number(untilFile);
                }
                if (until != null && newest >= until && atEnd(consumer, partitions)) {
                    break;
                }
                var records = consumer.poll(Duration.ofMillis(100));
                Instant received = Instant.now();
                for (ConsumerRecord<String, String> record : records) {
                    Matcher m = RECORDED_AT.matcher(record.value());
                    if (m.find()) {
                        Instant recordedAt = Instant.parse(m.group(1));
                        latencies.add(new long[]{epochMicros(recordedAt),
                                Duration.between(recordedAt, received).toNanos() / 1_000});
                    }
                    Header position = record.headers().lastHeader("position");
                    if (position != null) {
                        String text = new String(position.value(), StandardCharsets.UTF_8);
                        newest = Math.max(newest, Long.parseLong(text));
                        if (receivedFile != null) {
                            receivedLines.add(text + " " + epochMicros(received));
                        }
                    }
                }
            }
        }
        if (receivedFile != null) {
            try {
                Files.write(receivedFile, receivedLines);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Long from = fromFile == null ? null : number(fromFile);
        long[] sorted = latencies.stream().filter(l -> from == null || l[0] >= from).mapToLong(l -> l[1]).sorted()
                .toArray();
        if (sorted.length == 0) {
            System.out.println("  kafka latency   no records received");
            return;
        }
        System.out.printf("  kafka latency   %d records%s, recordedAt -> consumer: p50 %.1f ms, p95 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms%n", sorted.length, from == null ? "" : " of the measured run",
                pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), sorted[sorted.length - 1] / 1000.0);
    }

    private static long epochMicros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

    /** The number a control file holds, or null while it does not exist yet. */
    private static Long number(Path file) {
        try {
            return Files.exists(file) ? Long.valueOf(Files.readString(file).trim()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the consumer has read every partition to its end offset now. */
    private static boolean atEnd(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
    }

    private static double pct(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }
}
