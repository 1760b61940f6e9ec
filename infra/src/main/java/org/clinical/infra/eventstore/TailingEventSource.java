package org.clinical.infra.eventstore;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The event source of a tenant's processors: reads the tenant's store directly, a batch of events per query,
 * and tells Axon's pooled processors when new events were committed ({@link CommitSignal}). Axon's
 * {@code EmbeddedEventStore} streams cannot do the latter, so its processors would poll every 500 ms, and the
 * read models would lag by that much.
 */
public class TailingEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final EventStorageEngine engine;
    private final CommitSignal signal;
    private final int batchSize;

    public TailingEventSource(EventStorageEngine engine, CommitSignal signal, int batchSize) {
        this.engine = engine;
        this.signal = signal;
        this.batchSize = batchSize;
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
        private TrackingToken fetchedUpTo;
        private Runnable callback;

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

        /** One query: the events after the last one fetched (and those of its gaps), at most a batch. */
        private void fetch() {
            try (Stream<? extends TrackedEventMessage<?>> events = engine.readEvents(fetchedUpTo, false)) {
                events.limit(batchSize).forEach(event -> {
                    buffer.add(event);
                    fetchedUpTo = event.trackingToken();
                });
            }
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            if (this.callback != null) {
                signal.unregister(this.callback);
            }
            this.callback = callback;
            signal.register(callback);
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
