package org.clinical.infra.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The event source of a tenant's processors: reads the tenant's store directly, a batch of events per query,
 * and tells Axon's pooled processors when new events were committed ({@link CommitSignal}). Axon's
 * {@code EmbeddedEventStore} streams cannot do the latter, so its processors would poll every 500 ms, and the
 * read models would lag by that much.
 *
 * <p>Under load a processor batches instead of waking for every commit: once a read has reached the newest
 * event, the stream's next read waits until {@code linger} has passed since it. A commit in that time wakes the
 * processor when the linger ends (one wake-up for all the commits of the linger); a read asked for in that
 * time, with nothing committed on this instance since, answers no events without a query (the processor asks
 * several times per wake-up). A commit after the linger wakes it at once, so a lone command is projected without
 * delay, and a stream behind the head (a rebuild, a catch-up) reads batch after batch without a pause. Commits
 * of other instances are seen by the processors' own polls, as without the linger.
 */
public class TailingEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final EventStorageEngine engine;
    private final CommitSignal signal;
    private final int batchSize;
    private final long lingerNanos;
    private final ScheduledExecutorService timer;
    /** {@link System#nanoTime()}, or a test's clock. */
    private final LongSupplier ticker;

    /**
     * @param linger how long after a read that reached the newest event the next read waits (zero: none)
     * @param timer  runs the wake-ups deferred to the end of a linger
     */
    public TailingEventSource(EventStorageEngine engine, CommitSignal signal, int batchSize, Duration linger,
                              ScheduledExecutorService timer) {
        this(engine, signal, batchSize, linger, timer, System::nanoTime);
    }

    private TailingEventSource(EventStorageEngine engine, CommitSignal signal, int batchSize, Duration linger,
                               ScheduledExecutorService timer, LongSupplier ticker) {
        this.engine = engine;
        this.signal = signal;
        this.batchSize = batchSize;
        this.lingerNanos = linger.toNanos();
        this.timer = timer;
        this.ticker = ticker;
    }

    /** The same tenant's events and commits, read with these settings and this clock (tests). */
    TailingEventSource with(int batchSize, Duration linger, ScheduledExecutorService timer, LongSupplier ticker) {
        return new TailingEventSource(engine, signal, batchSize, linger, timer, ticker);
    }

    /** Runs {@code callback} after each commit of events to the tenant's store (on the committing thread). */
    public void onCommit(Runnable callback) {
        signal.register(callback);
    }

    public void removeOnCommit(Runnable callback) {
        signal.unregister(callback);
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new Tail(trackingToken);
    }

    @Override
    public TrackingToken createTailToken() {
        return engine.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return engine.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return engine.createTokenAt(dateTime);
    }

    private final class Tail implements BlockingStream<TrackedEventMessage<?>> {

        private final ArrayDeque<TrackedEventMessage<?>> buffer = new ArrayDeque<>();
        private final AtomicBoolean wakeDeferred = new AtomicBoolean();
        private TrackingToken fetchedUpTo;
        private Runnable callback;
        /** Whether the last read found fewer events than a batch: it reached the newest event. */
        private volatile boolean atHead;
        /** The {@link #ticker} at the last read: the linger counts from it when that read reached the head. */
        private volatile long lastReadAt;
        /** {@link CommitSignal#commits()} before the last read: what it saw of this instance's commits. */
        private volatile long commitsSeen;

        Tail(TrackingToken start) {
            this.fetchedUpTo = start;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            if (buffer.isEmpty()) {
                fetch();
            }
            return Optional.ofNullable(buffer.peek());
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (!buffer.isEmpty()) {
                return true;
            }
            long seen = signal.commits();
            fetch();
            if (buffer.isEmpty() && timeout > 0) {
                signal.await(seen, timeout, unit);
                fetch();
            }
            return !buffer.isEmpty();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (!hasNextAvailable(1, TimeUnit.SECONDS)) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
            }
            return buffer.poll();
        }

        /**
         * One query: the events after the last one fetched (and those of its gaps), at most a batch; none, without
         * a query, while lingering with nothing committed here since the last read.
         */
        private void fetch() {
            long commits = signal.commits();
            if (atHead && commits == commitsSeen && lingerLeft() > 0) {
                return;
            }
            int before = buffer.size();
            try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(fetchedUpTo, false)) {
                events.limit(batchSize).forEach(event -> {
                    buffer.add(event);
                    fetchedUpTo = event.trackingToken();
                });
            }
            commitsSeen = commits;
            lastReadAt = ticker.getAsLong();
            atHead = buffer.size() - before < batchSize;
        }

        /** Nanoseconds until the linger after the last read at the head ends; zero or less: none left. */
        private long lingerLeft() {
            return atHead ? lastReadAt + lingerNanos - ticker.getAsLong() : 0;
        }

        /** After a commit: wakes the processor now, or once at the end of the linger. */
        private void committed(Runnable wake) {
            long left = lingerLeft();
            if (left <= 0) {
                wake.run();
                return;
            }
            if (wakeDeferred.compareAndSet(false, true)) {
                try {
                    timer.schedule(() -> {
                        wakeDeferred.set(false);
                        wake.run();
                    }, left, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    // the platform is stopping: wake it now rather than never
                    wakeDeferred.set(false);
                    wake.run();
                }
            }
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            if (this.callback != null) {
                signal.unregister(this.callback);
            }
            this.callback = () -> committed(callback);
            signal.register(this.callback);
            return true;
        }

        @Override
        public void close() {
            if (callback != null) {
                signal.unregister(callback);
            }
            buffer.clear();
        }
    }
}
