package org.clinical.infra.eventstore;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fired after every commit that appended events to one tenant's store: wakes the streams waiting for events and
 * runs the callbacks of Axon's processors, so they read new events at once instead of polling.
 */
public final class CommitSignal {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CommitSignal.class);

    private final Set<Runnable> callbacks = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private volatile long commits;

    /**
     * After the transaction that appends commits: the Spring transaction when there is one (it may be wider
     * than Axon's unit of work, as with an {@code Idempotency-Key}), else the unit of work, else at once.
     */
    public void fireAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    fire();
                }
            });
        } else if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> fire());
        } else {
            fire();
        }
    }

    public void fire() {
        lock.lock();
        try {
            commits++;
            appended.signalAll();
        } finally {
            lock.unlock();
        }
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                // Runs after a commit: the command is stored, and its answer must not turn into an error.
                log.warn("A processor could not be woken after a commit; it reads the events at its next run", e);
            }
        }
    }

    long commits() {
        return commits;
    }

    /** Waits until a commit after {@code seen} (a value of {@link #commits()}), at most the timeout. */
    void await(long seen, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (commits == seen && nanos > 0) {
                nanos = appended.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    void register(Runnable callback) {
        callbacks.add(callback);
    }

    void unregister(Runnable callback) {
        callbacks.remove(callback);
    }
}
