package org.clinical.infra.kafka.publish;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.clinical.infra.eventstore.StoredEvent;
import org.clinical.infra.eventstore.TailingEventSource;
import org.clinical.infra.kafka.KafkaClients;
import org.clinical.infra.kafka.KafkaProperties;
import org.clinical.infra.tenant.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * One tenant's publisher: a streaming processor over the tenant's event store (the outbox) whose token, in the
 * tenant's {@code token_entry} under {@link #NAME}, advances only after Kafka acknowledged every record of the
 * batch. Each step, on one of the shared publisher threads: hold the token's claim (one instance publishes a
 * tenant at a time; another takes over within the claim timeout when it dies), read up to a batch of stored events
 * after the token in one query ({@link OutboxReader}), send them all asynchronously and await the acknowledgements
 * as a whole, then store the token of the batch's last event. The next batch is sent only after that: sent while
 * one is in flight, a record of it could be written when the earlier batch fails, ahead of an earlier event of
 * its key. On a backlog (a full batch), the next batch is read from the database while the acknowledgements are
 * awaited, and dropped unsent if the batch in flight fails.
 * <p>
 * A batch that fails (the broker away, an acknowledgement later than the send timeout, the database away) is
 * abandoned: the producer is closed at once (by the failed record's callback, on the producer's own thread), so
 * none of the batch's records still waiting can be written after one that was given up; a record refused inside
 * {@code send()} (no partition metadata in time) stops the sending of the batch there. The batch is taken again
 * from the stored token after a pause that doubles from 0.5 s up to the configured maximum. The first failure of an
 * outage is logged, and its end; the attempts in between are not. Records of an abandoned batch that the broker
 * had acknowledged are sent again: consumers deduplicate by event id (docs/kafka.md).
 * <p>
 * Wakes at every commit of the tenant's store, and every second to look for gaps filled and renew the claim.
 * State held in this JVM: the claim, the read position, the producer and the outage; the position that counts is the
 * stored token.
 */
final class TenantPublisher {

    /** The processor name of the publisher's token in the tenant's {@code token_entry}. */
    static final String NAME = "kafka-publisher";

    private static final Logger log = LoggerFactory.getLogger(TenantPublisher.class);
    private static final int SEGMENT = 0;
    private static final long IDLE_MS = 1_000;
    /** Another instance holds the claim: look again as often as the projections do. */
    private static final long CLAIM_RETRY_MS = 2_000;
    /** Well within the token store's claim timeout (10 s). */
    private static final long CLAIM_RENEWAL_MS = 3_000;
    /** Before a batch is sent, a claim older than this is renewed: the send may then wait its whole timeout. */
    private static final long CLAIM_FRESH_MS = 1_000;
    /** A producer unused this long is closed: an idle tenant holds no buffers and no connections. */
    private static final long PRODUCER_IDLE_MS = 60_000;
    /**
     * After a batch that was not full, the next one is read no sooner than this: under a steady stream of commits
     * each wake-up would otherwise be a read, a send and a token update for an event or two, work the write path
     * pays for; this many milliseconds of events go out together instead (well within the 200 ms end-to-end).
     */
    static final long LINGER_MS = 10;
    private static final long FIRST_BACKOFF_MS = 500;

    private final Tenant tenant;
    private final String topic;
    private final TokenStore tokens;
    private final TransactionManager transactions;
    /** Asked at the first step: the tenant's event store may be registered after this publisher. */
    private final Supplier<TailingEventSource> source;
    private final JdbcTemplate jdbc;
    private final KafkaClients clients;
    private final KafkaProperties.Publisher settings;
    private final Topics topics;
    private final EventRecords records;
    private final ScheduledExecutorService executor;
    private final LongConsumer published;

    private final ReentrantLock stepping = new ReentrantLock();
    private volatile boolean again;
    private volatile boolean stopped;
    /**
     * The step still to start, and when it runs (System.nanoTime): written under the lock, read without it by
     * {@link #wake()}, which every command's commit calls. A step that has not started yet reads the store after
     * the commit that finds it pending, so that commit needs no step of its own.
     */
    private volatile ScheduledFuture<?> next;
    private volatile long nextAt;

    // touched only while stepping
    private TailingEventSource events;
    private boolean claimed;
    private boolean topicReady;
    /** Whether {@link #read} holds where to read from: the stored token, then each batch's token. */
    private boolean positioned;
    private GapAwareTrackingToken read;
    /**
     * The batch after the one in flight, read while its acknowledgements were awaited (only after a full batch:
     * a backlog); sent only once that batch's token is stored, and dropped with it when it fails.
     */
    private OutboxReader.Batch ahead;
    private final Runnable onCommit = this::wake;
    private long lastClaimWrite;
    private long lastSend;
    /** {@link System#nanoTime()} before which a wake-up does not read: the linger after a batch that was not full. */
    private volatile long lingerUntil = System.nanoTime();
    private int failures;
    private long retryAt;
    private Instant outageSince;
    /** The producer in use, if any; whoever takes it out of here closes it (a step, or a failed record's callback). */
    private final AtomicReference<Producer<String, byte[]>> producer = new AtomicReference<>();
    private volatile String lastError;

    TenantPublisher(Tenant tenant, TokenStore tokens, TransactionManager transactions,
                    Supplier<TailingEventSource> source, JdbcTemplate jdbc,
                    KafkaClients clients,
                    KafkaProperties.Publisher settings, Topics topics, EventRecords records,
                    ScheduledExecutorService executor, LongConsumer published) {
        this.tenant = tenant;
        this.topic = Topics.of(tenant.id());
        this.tokens = tokens;
        this.transactions = transactions;
        this.source = source;
        this.jdbc = jdbc;
        this.clients = clients;
        this.settings = settings;
        this.topics = topics;
        this.records = records;
        this.executor = executor;
        this.published = published;
        this.retryAt = System.nanoTime();
    }

    String topic() {
        return topic;
    }

    /** The exception class of this instance's last failed attempt while it fails; null when it publishes. */
    String lastError() {
        return lastError;
    }

    void start() {
        schedule(0);
    }

    /** New events were committed: step at once, or when the linger after the last batch ends. */
    void wake() {
        long delayMs = lingerLeftMs();
        if (next != null && nextAt - (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs)) <= 0) {
            return;
        }
        schedule(delayMs);
    }

    /**
     * Stops publishing as a crash would, for whatever batch is in flight: its producer is closed at once (the
     * batch fails, its token is not stored), then, once the step has returned (at most {@code wait}), the claim
     * is released so that another instance, or a new publisher, takes the tenant over without waiting.
     */
    void stop(Duration wait) {
        stopped = true;
        synchronized (this) {
            if (next != null) {
                next.cancel(false);
            }
        }
        closeProducer();
        boolean locked = false;
        try {
            locked = stepping.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            log.warn("The Kafka publisher of tenant {} did not stop within {}; its claim expires by itself",
                    tenant.id(), wait);
            return;
        }
        try {
            stopReading();
            if (claimed) {
                try {
                    transactions.executeInTransaction(() -> tokens.releaseClaim(NAME, SEGMENT));
                } catch (RuntimeException e) {
                    log.info("The Kafka publisher of tenant {} could not release its claim ({}); it expires by itself",
                            tenant.id(), e.getClass().getName());
                }
                claimed = false;
            }
        } finally {
            stepping.unlock();
        }
    }

    private synchronized void schedule(long delayMs) {
        if (stopped || executor.isShutdown()) {
            return;
        }
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
        if (next != null && !next.isDone()) {
            if (nextAt - at <= 0) {
                return;
            }
            next.cancel(false);
        }
        nextAt = at;
        try {
            next = executor.schedule(this::run, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Tenant {}: the publisher threads are shutting down", tenant.id());
        }
    }

    private void run() {
        synchronized (this) {
            next = null;
        }
        if (!stepping.tryLock()) {
            again = true;
            return;
        }
        long delay;
        try {
            again = false;
            delay = stopped ? -1 : step();
        } finally {
            stepping.unlock();
        }
        if (delay >= 0) {
            schedule(again ? Math.min(delay, lingerLeftMs()) : delay);
        }
    }

    private long lingerLeftMs() {
        long left = lingerUntil - System.nanoTime();
        return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
    }

    /** One step; answers the pause before the next one. */
    private long step() {
        long now = System.nanoTime();
        if (now - retryAt < 0) {
            renewClaim(CLAIM_RENEWAL_MS);
            return TimeUnit.NANOSECONDS.toMillis(retryAt - now) + 1;
        }
        if (events == null) {
            try {
                events = source.get();
            } catch (IllegalStateException notYet) {
                return 100;
            }
        }
        try {
            if (!claimed && !claim()) {
                return CLAIM_RETRY_MS;
            }
            if (!topicReady) {
                topics.ensure(topic);
                topicReady = true;
            }
            if (!positioned) {
                read = gapAware(fetchClaimedToken());
                positioned = true;
                events.onCommit(onCommit);
            }
            boolean readAhead = ahead != null;
            OutboxReader.Batch batch = readAhead ? ahead
                    : OutboxReader.after(jdbc, tenant, read, settings.batchSize(), Instant.now());
            ahead = null;
            if (batch.events().isEmpty()) {
                read = batch.token();
                renewClaim(CLAIM_RENEWAL_MS);
                if (producer.get() != null
                        && System.nanoTime() - lastSend > TimeUnit.MILLISECONDS.toNanos(PRODUCER_IDLE_MS)) {
                    closeProducer();
                }
                return IDLE_MS;
            }
            renewClaim(CLAIM_FRESH_MS);
            if (!claimed) {
                return CLAIM_RETRY_MS;
            }
            boolean full = batch.events().size() >= settings.batchSize();
            InFlight inFlight = send(batch.events());
            // a backlog: the next batch is read from the database while Kafka acknowledges this one
            OutboxReader.Batch next = full
                    ? OutboxReader.after(jdbc, tenant, batch.token(), settings.batchSize(), Instant.now()) : null;
            int acknowledged = inFlight.await();
            if (stopped) {
                return -1;
            }
            transactions.executeInTransaction(() -> {
                // Not worth a WAL flush of its own: a token lost with a crash of PostgreSQL only sends the batch
                // again (at-least-once; consumers deduplicate by event id), so the commit does not wait for it.
                jdbc.execute("set local synchronous_commit = off");
                tokens.storeToken(batch.token(), NAME, SEGMENT);
            });
            read = batch.token();
            lastClaimWrite = System.nanoTime();
            published.accept(acknowledged);
            recovered();
            if (full || readAhead) {
                // what committed after a batch read ahead was read may have woken no step: look again at once
                ahead = next == null || next.events().isEmpty() ? null : next;
                return 0;
            }
            // what commits from now on wakes it, no sooner than the linger
            lingerUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
            return IDLE_MS;
        } catch (UnableToClaimTokenException e) {
            lostClaim();
            return CLAIM_RETRY_MS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            return -1;
        } catch (Exception e) {
            if (stopped) {
                abandon();
                return -1;
            }
            return failed(e);
        }
    }

    /** Claims the token, making it first when the tenant has none: from the first event or the head. */
    private boolean claim() {
        try {
            transactions.executeInTransaction(() -> {
                if (tokens.fetchSegments(NAME).length == 0) {
                    TrackingToken initial = settings.startFrom() == KafkaProperties.StartFrom.LATEST
                            ? events.createHeadToken() : null;
                    tokens.initializeTokenSegments(NAME, 1, initial);
                }
            });
        } catch (RuntimeException e) {
            // another instance made it at the same moment: the claim below decides
            log.debug("Tenant {}: the publisher's token was made elsewhere meanwhile", tenant.id());
        }
        try {
            transactions.executeInTransaction(() -> tokens.fetchToken(NAME, SEGMENT));
        } catch (UnableToClaimTokenException e) {
            log.debug("Tenant {}: another instance publishes its events", tenant.id());
            return false;
        }
        claimed = true;
        lastClaimWrite = System.nanoTime();
        log.info("Publishing the events of tenant {} to Kafka topic {}", tenant.id(), topic);
        return true;
    }

    private TrackingToken fetchClaimedToken() {
        return transactions.fetchInTransaction(() -> tokens.fetchToken(NAME, SEGMENT));
    }

    private GapAwareTrackingToken gapAware(TrackingToken token) {
        if (token == null || token instanceof GapAwareTrackingToken) {
            return (GapAwareTrackingToken) token;
        }
        throw new IllegalStateException("tenant " + tenant.id() + ": the publisher's token is a "
                + token.getClass().getName() + ", not a GapAwareTrackingToken");
    }

    /** Renews the claim when it was last written more than {@code olderThanMs} ago. */
    private void renewClaim(long olderThanMs) {
        if (!claimed || System.nanoTime() - lastClaimWrite < TimeUnit.MILLISECONDS.toNanos(olderThanMs)) {
            return;
        }
        try {
            transactions.executeInTransaction(() -> tokens.extendClaim(NAME, SEGMENT));
            lastClaimWrite = System.nanoTime();
        } catch (UnableToClaimTokenException e) {
            lostClaim();
        } catch (RuntimeException e) {
            log.debug("Tenant {}: the publisher's claim could not be renewed now", tenant.id());
        }
    }

    /**
     * Sends the batch's stored events all at once, without waiting: {@link InFlight#await} waits for every
     * acknowledgement, at most the send timeout from now.
     */
    private InFlight send(List<StoredEvent> stored) {
        Producer<String, byte[]> producer = producer();
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(stored.size());
        // the batch's first failure closes its producer at once, before the producer's I/O thread sends anything
        // more: what it still holds of the batch is then dropped, and written only by the next attempt, in order
        Callback closeOnFailure = (metadata, failure) -> {
            if (failure != null && this.producer.compareAndSet(producer, null)) {
                close(producer);
            }
        };
        for (StoredEvent event : stored) {
            if (this.producer.get() != producer) {
                break; // a record failed meanwhile and its callback closed the producer
            }
            Future<RecordMetadata> acknowledgement;
            try {
                acknowledgement = producer.send(records.of(topic, tenant.id(), event), closeOnFailure);
            } catch (IllegalStateException closed) {
                if (this.producer.get() != producer) {
                    break; // closed by a failed record's callback since the check above: that failure is awaited
                }
                throw closed;
            }
            acknowledgements.add(acknowledgement);
            if (refused(acknowledgement)) {
                // refused inside send() (no partition metadata within max.block.ms, a record too large): it never
                // reached the producer's queue, so a later record of its key sent now would be written ahead of
                // it, and stay ahead of it when the batch is sent again (KafkaOutageTest saw this)
                break;
            }
        }
        lastSend = System.nanoTime();
        return new InFlight(acknowledgements, stored.size(), deadline);
    }

    /** Whether the record was refused by {@code send()} itself: its acknowledgement failed before it returned. */
    private static boolean refused(Future<RecordMetadata> acknowledgement) {
        return acknowledgement.isDone() && acknowledgement.state() == Future.State.FAILED;
    }

    /** A batch sent: its records' acknowledgements, fewer than its events when the sending stopped at a failure. */
    private record InFlight(List<Future<RecordMetadata>> acknowledgements, int events, long deadline) {

        /**
         * Waits for every acknowledgement until the deadline; answers how many records were acknowledged, which is
         * every event of the batch: a batch whose sending stopped early fails here, whatever was acknowledged.
         */
        int await() throws Exception {
            for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                long left = deadline - System.nanoTime();
                try {
                    acknowledgement.get(Math.max(0, left), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            if (acknowledgements.size() < events) {
                throw new IllegalStateException(acknowledgements.size() + " of the batch's " + events
                        + " events were sent");
            }
            return events;
        }
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> current = producer.get();
        if (current == null) {
            Duration maxBlock = settings.sendTimeout().compareTo(Duration.ofSeconds(5)) < 0
                    ? settings.sendTimeout() : Duration.ofSeconds(5);
            current = new KafkaProducer<>(clients.producer("clinical-publisher-" + tenant.id(), maxBlock));
            producer.set(current);
            if (stopped) {
                closeProducer();
            }
        }
        return current;
    }

    private long failed(Exception e) {
        abandon();
        failures++;
        long backoff = Math.min(settings.maxBackoff().toMillis(),
                FIRST_BACKOFF_MS << Math.min(failures - 1, 20));
        retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        lastError = e.getClass().getName();
        if (outageSince == null) {
            outageSince = Instant.now();
            // the class only: a message can quote configuration or data
            log.warn("Kafka publishing of tenant {} to {} is paused ({}); events wait in the event store and are "
                            + "sent when it works again, retrying with backoff up to {} s; commands are not affected",
                    tenant.id(), topic, e.getClass().getName(), settings.maxBackoff().toSeconds());
        }
        return backoff;
    }

    private void recovered() {
        if (outageSince != null) {
            log.info("Kafka publishing of tenant {} resumed after {} s and {} failed attempts", tenant.id(),
                    Duration.between(outageSince, Instant.now()).toSeconds(), failures);
            outageSince = null;
        }
        failures = 0;
        lastError = null;
    }

    private void lostClaim() {
        log.info("Tenant {}: another instance took over publishing its events", tenant.id());
        abandon();
        claimed = false;
    }

    /** Drops the batch in flight: what was read is read again from the stored token. */
    private void abandon() {
        closeProducer();
        stopReading();
    }

    private void stopReading() {
        ahead = null;
        if (positioned) {
            events.removeOnCommit(onCommit);
            positioned = false;
            read = null;
        }
    }

    private void closeProducer() {
        Producer<String, byte[]> current = producer.getAndSet(null);
        if (current != null) {
            close(current);
        }
    }

    /**
     * Closes a producer without waiting: what it has not sent yet fails at once. Also called on the producer's
     * own I/O thread (a failed record's callback), where Kafka allows no other timeout.
     */
    private void close(Producer<String, byte[]> producer) {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            log.debug("Tenant {}: the producer did not close cleanly", tenant.id());
        }
    }
}
