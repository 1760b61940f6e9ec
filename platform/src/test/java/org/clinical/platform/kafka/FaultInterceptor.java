package org.clinical.platform.kafka;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.clinical.infra.kafka.KafkaClients;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A producer interceptor (Kafka's own extension point, configured through {@code clinical.kafka.properties}) that
 * puts a fault into the publisher's sending of one topic's n-th record (counted from when it is armed):
 * <ul>
 *   <li>{@link #hold}: holds the publisher's thread inside {@code send()}; the publisher is then in the middle of a
 *   batch, the records before it sent, the rest not yet, until the test lets it go;</li>
 *   <li>{@link #refuse}: makes {@code send()} refuse the record, once, as it refuses one for which no partition
 *   metadata arrived within {@code max.block.ms}: its acknowledgement has failed when {@code send()} returns,
 *   and the record never reached the producer's queue (here: it is made larger than the producer allows).</li>
 * </ul>
 */
public class FaultInterceptor implements ProducerInterceptor<String, byte[]> {

    private static volatile String topic;
    private static volatile int faultAt;
    private static volatile boolean refusing;
    private static final AtomicInteger sent = new AtomicInteger();
    private static volatile CountDownLatch holding = new CountDownLatch(1);
    private static volatile CountDownLatch released = new CountDownLatch(1);

    /** Holds the sender of the topic's {@code n}-th record from now on (1 = the first). */
    static void hold(String topicName, int n) {
        arm(topicName, n, false);
    }

    /** Has {@code send()} refuse the topic's {@code n}-th record from now on (1 = the first), once. */
    static void refuse(String topicName, int n) {
        arm(topicName, n, true);
    }

    private static void arm(String topicName, int n, boolean refuse) {
        sent.set(0);
        holding = new CountDownLatch(1);
        released = new CountDownLatch(1);
        faultAt = n;
        refusing = refuse;
        topic = topicName;
    }

    static boolean awaitHolding(long seconds) throws InterruptedException {
        return holding.await(seconds, TimeUnit.SECONDS);
    }

    static void release() {
        topic = null;
        released.countDown();
    }

    @Override
    public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
        if (!record.topic().equals(topic) || sent.incrementAndGet() != faultAt) {
            return record;
        }
        if (refusing) {
            topic = null;
            return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(),
                    new byte[KafkaClients.MAX_RECORD_BYTES + 1], record.headers());
        }
        holding.countDown();
        try {
            released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
