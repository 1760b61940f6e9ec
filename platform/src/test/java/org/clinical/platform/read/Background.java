package org.clinical.platform.read;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loops that run on threads of their own while a test does something else. A loop's rounds are counted; whatever
 * a round throws, a failed assertion included, ends that loop and is kept, so {@link #close} can fail the test
 * with it: a thread that dies must not leave a test green. {@link #close} also fails when a thread is still alive
 * after its deadline.
 */
public final class Background implements AutoCloseable {

    /** One round of a loop; it may throw anything. */
    @FunctionalInterface
    public interface Round {
        void run() throws Exception;
    }

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, AtomicLong> rounds = new ConcurrentHashMap<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private boolean closed;

    /** Runs {@code round} again and again on a thread named {@code name} until {@link #close}. */
    public void loop(String name, Round round) {
        AtomicLong done = rounds.computeIfAbsent(name, n -> new AtomicLong());
        threads.add(Thread.ofPlatform().name(name).start(() -> {
            try {
                while (!stopping) {
                    round.run();
                    done.incrementAndGet();
                }
            } catch (Throwable e) {
                failures.add(new AssertionError(name + " failed after " + done.get() + " rounds", e));
            }
        }));
    }

    /** Rounds the loop has completed so far. */
    public long rounds(String name) {
        return rounds.get(name).get();
    }

    /** Fails at once when a loop has failed, so a test need not wait for {@link #close} to learn it. */
    public void assertNoFailure() {
        if (!failures.isEmpty()) {
            throw failure();
        }
    }

    /** Stops the loops, waits for their threads, and fails on any failure or thread that would not end. */
    @Override
    public void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        for (Thread thread : threads) {
            thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (thread.isAlive()) {
                thread.interrupt();
                failures.add(new AssertionError(thread.getName() + " still running " + JOIN_TIMEOUT + " after close"));
            }
        }
        assertNoFailure();
    }

    private AssertionError failure() {
        AssertionError error = new AssertionError(failures.size() + " background loop(s) failed: "
                + failures.stream().map(Throwable::getMessage).toList());
        failures.forEach(error::addSuppressed);
        return error;
    }
}
