import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tenant's clinical events from Kafka with nothing but kafka-clients, the way a downstream system would:
 * in a consumer group, from the first event, dropping the copies that at-least-once delivery can bring (by
 * aggregate and sequence), committing offsets after handling. Prints each event's position, type, aggregate and
 * size; never the payload (PHI).
 *
 * <pre>
 * java -cp kafka-clients.jar:slf4j-api.jar ClinicalEventsConsumer.java BOOTSTRAP TENANT [GROUP] [SECONDS]
 * </pre>
 * SECONDS: stop after that long without a new record (default: run until killed).
 */
public class ClinicalEventsConsumer {

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ClinicalEventsConsumer BOOTSTRAP TENANT [GROUP] [IDLE_SECONDS]");
            System.exit(2);
        }
        String bootstrap = args[0];
        String tenant = args[1];
        String group = args.length > 2 ? args[2] : "example-" + tenant;
        long idleSeconds = args.length > 3 ? Long.parseLong(args[3]) : Long.MAX_VALUE;

        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        // A real consumer keeps this in its own database, in the transaction of what it does with the event.
        Map<String, Long> lastSequence = new HashMap<>();
        long handled = 0;
        long copies = 0;
        long idleSince = System.nanoTime();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("clinical." + tenant + ".events"));
            while (Duration.ofNanos(System.nanoTime() - idleSince).toSeconds() < idleSeconds) {
                var records = consumer.poll(Duration.ofSeconds(1));
                if (!records.isEmpty()) {
                    idleSince = System.nanoTime();
                }
                for (ConsumerRecord<String, String> record : records) {
                    long sequence = Long.parseLong(header(record, "sequence"));
                    Long last = lastSequence.get(record.key());
                    if (last != null && sequence <= last) {
                        copies++;
                        continue;
                    }
                    lastSequence.put(record.key(), sequence);
                    handled++;
                    System.out.printf("%s %-24s %s #%d (%d bytes)%n", header(record, "position"),
                            header(record, "type"), record.key(), sequence, record.value().length());
                }
                consumer.commitSync();
            }
        }
        System.out.printf("%d events, %d copies dropped%n", handled, copies);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
