package org.clinical.platform.kafka;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A producer interceptor (Kafka's own extension point, configured through {@code clinical.kafka.properties}) that
 * holds the publisher's thread inside {@code send()} of the n-th record of one topic: the publisher is then in the
 * middle of a batch, the records before it sent, the rest not yet, until the test lets it go.
 */
public class HoldingInterceptor implements ProducerInterceptor<String, byte[]> {

    private static volatile String topic;
    private static volatile int holdAt;
    private static final AtomicInteger sent = new AtomicInteger();
    private static volatile CountDownLatch holding = new CountDownLatch(1);
    private static volatile CountDownLatch released = new CountDownLatch(1);

    /** Holds the sender of the topic's {@code n}-th record from now on (1 = the first). */
    static void arm(String topicName, int n) {
        sent.set(0);
        holding = new CountDownLatch(1);
        released = new CountDownLatch(1);
        holdAt = n;
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
        if (record.topic().equals(topic) && sent.incrementAndGet() == holdAt) {
            holding.countDown();
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
