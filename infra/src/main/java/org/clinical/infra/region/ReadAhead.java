package org.clinical.infra.region;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A long streamed read whose rows are fetched and decoded on a reader thread while the calling thread hands the
 * ones already read to its sink (an answer being written): PostgreSQL runs the query and the driver decodes the
 * next rows while the platform writes the previous ones, instead of each side waiting for the other, fetch by
 * fetch. At most {@link #BATCHES_AHEAD} batches of {@link #BATCH} rows wait between them, so the memory stays
 * bounded whatever the read's size.
 *
 * <p>The sink sees every row in the read's order, on the calling thread. A failure of the read reaches the caller
 * as it was thrown; when the sink fails (the client went away), the reader stops at its next batch and
 * {@link #run} returns only once it has, so its connection is back in its pool before the request ends. A plain
 * queue between two threads rather than a reactive library: the read is a callback inside a transaction on one
 * connection ({@link ReadTransaction}), which a queue keeps as it is.
 */
public final class ReadAhead {

    static final int BATCH = 256;
    static final int BATCHES_AHEAD = 4;
    private static final long OFFER_MILLIS = 50;

    private ReadAhead() {
    }

    /**
     * Runs {@code read} on a reader thread named {@code name}, handing each row it produces to {@code sink} on the
     * calling thread, in order. The reader is a platform thread, one per running read (each also holds a pooled
     * connection): as a virtual thread it took a third more CPU for the same answer, every socket read that would
     * block parking and unparking it through the JDK's poller.
     */
    public static <T> void run(String name, Consumer<Consumer<T>> read, Consumer<T> sink) {
        Handoff<T> handoff = new Handoff<>();
        Thread reader = Thread.ofPlatform().name(name).daemon().start(handoff.reading(read));
        try {
            handoff.drainTo(sink);
        } finally {
            handoff.stop();
            joinUninterruptibly(reader);
        }
    }

    private static void joinUninterruptibly(Thread reader) {
        boolean interrupted = false;
        while (true) {
            try {
                reader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What passes from the reader to the caller: batches of rows, then the end or the read's failure. */
    private static final class Handoff<T> {

        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
        private volatile boolean stopped;

        Runnable reading(Consumer<Consumer<T>> read) {
            return () -> {
                Batches batches = new Batches();
                Object last = End.END;
                try {
                    read.accept(batches);
                } catch (Stopped e) {
                    return;
                } catch (Throwable e) {
                    last = new Failure(e);
                }
                try {
                    batches.flush();
                    hand(last);
                } catch (Stopped e) {
                    // the caller has gone: nobody waits for the rest
                }
            };
        }

        /** The read's sink on the reader thread: gathers its rows into batches and hands each one over. */
        private final class Batches implements Consumer<T> {

            private List<T> rows = new ArrayList<>(BATCH);

            @Override
            public void accept(T row) {
                rows.add(row);
                if (rows.size() == BATCH) {
                    flush();
                }
            }

            void flush() {
                if (!rows.isEmpty()) {
                    hand(rows);
                    rows = new ArrayList<>(BATCH);
                }
            }
        }

        /** Waits for room, giving up once the caller has stopped reading. */
        private void hand(Object item) {
            try {
                while (!queue.offer(item, OFFER_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (stopped) {
                        throw new Stopped();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped();
            }
            if (stopped) {
                throw new Stopped();
            }
        }

        @SuppressWarnings("unchecked")
        void drainTo(Consumer<T> sink) {
            while (true) {
                Object next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while a streamed read was handed over", e);
                }
                if (next == End.END) {
                    return;
                }
                if (next instanceof Failure(Throwable error)) {
                    if (error instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (error instanceof Error fatal) {
                        throw fatal;
                    }
                    throw new IllegalStateException("a streamed read failed", error);
                }
                for (T row : (List<T>) next) {
                    sink.accept(row);
                }
            }
        }

        void stop() {
            stopped = true;
            queue.clear();
        }
    }

    private enum End { END }

    private record Failure(Throwable error) {
    }

    /** Thrown in the reader when the caller stopped reading: ends the read (its transaction rolls back). */
    private static final class Stopped extends RuntimeException {

        Stopped() {
            super("the streamed read's caller stopped reading", null, false, false);
        }
    }
}
