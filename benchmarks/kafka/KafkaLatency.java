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
 * the records a tenant's topic receives from now on, for SECONDS, and for each takes the time it was handed to
 * the consumer minus the event's {@code recordedAt} (the edge's clock when the command arrived, before its
 * transaction: so the figure includes the command's own handling and slightly overstates "accepted -> consumed").
 * Same machine, same clock. Prints count, p50, p95, p99 and max in milliseconds. With RECEIVED_FILE, also writes
 * "position epochMicros" per record as it was handed over, for the latency from the command's acceptance
 * (bench.py kafka-accepted joins it with the probes' answers).
 *
 * <pre>java -cp kafka-clients.jar:slf4j-api.jar benchmarks/kafka/KafkaLatency.java \
 *     BOOTSTRAP TOPIC SECONDS [RECEIVED_FILE]</pre>
 */
public class KafkaLatency {

    private static final Pattern RECORDED_AT = Pattern.compile("\"recordedAt\":\"([^\"]+)\"");

    public static void main(String[] args) {
        String bootstrap = args[0];
        String topic = args[1];
        long seconds = Long.parseLong(args[2]);
        Path receivedFile = args.length > 3 ? Path.of(args[3]) : null;
        List<String> receivedLines = new ArrayList<>();
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<Long> micros = new ArrayList<>();
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
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end) {
                var records = consumer.poll(Duration.ofMillis(100));
                Instant received = Instant.now();
                for (ConsumerRecord<String, String> record : records) {
                    Matcher m = RECORDED_AT.matcher(record.value());
                    if (m.find()) {
                        micros.add(Duration.between(Instant.parse(m.group(1)), received).toNanos() / 1_000);
                    }
                    Header position = record.headers().lastHeader("position");
                    if (receivedFile != null && position != null) {
                        receivedLines.add(new String(position.value(), StandardCharsets.UTF_8) + " "
                                + (received.getEpochSecond() * 1_000_000 + received.getNano() / 1_000));
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
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            System.out.println("  kafka latency   no records received");
            return;
        }
        System.out.printf("  kafka latency   %d records, recordedAt -> consumer: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms%n", sorted.length, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                sorted[sorted.length - 1] / 1000.0);
    }

    private static double pct(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }
}
