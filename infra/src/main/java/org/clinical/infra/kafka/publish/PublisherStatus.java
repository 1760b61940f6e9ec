package org.clinical.infra.kafka.publish;

/**
 * How far a tenant's Kafka publisher is, read from the database (its stored token and the tenant's stream), so
 * every instance answers the same whichever one publishes.
 *
 * @param name       {@code kafka}
 * @param topic      the tenant's topic
 * @param position   the last event position the broker acknowledged and the publisher committed (-1: none yet)
 * @param head       the tenant's last event position
 * @param lag        events between the two
 * @param lagSeconds how long the oldest event not yet published has waited (0 when none waits)
 * @param error      when the instance answering publishes this tenant and its last attempt failed: the failure's
 *                   exception class (the broker away...); null otherwise
 */
public record PublisherStatus(String name, String topic, long position, long head, long lag, double lagSeconds,
                              String error) {
}
