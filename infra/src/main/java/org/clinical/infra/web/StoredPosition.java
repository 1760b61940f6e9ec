package org.clinical.infra.web;

import org.clinical.infra.eventstore.StreamHead;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code X-Min-Position} on reads of what the write side stores in its events' own transaction: the tenant, its
 * projections' state and dead letters. Those reflect a position as soon as the tenant's stream holds it, so the
 * read waits (up to the same time as a read-model read) only for the stream itself: a position the stream has not
 * reached answers 503 with {@code Retry-After}, as a read model behind would.
 */
public class StoredPosition {

    public static final String HEADER = "X-Min-Position";
    private static final Duration POLL = Duration.ofMillis(20);

    private final Regions regions;
    private final Duration wait;

    public StoredPosition(Regions regions, Duration wait) {
        this.regions = regions;
        this.wait = wait;
    }

    /** The position the header asks for, or -1 when there is none; 400 for anything but a position. */
    public static long parse(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        long position;
        try {
            position = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(HEADER, "must be an event position as returned in X-Event-Position");
        }
        if (position < 0) {
            throw new BadRequestException(HEADER, "must not be negative");
        }
        return position;
    }

    /** Returns once the tenant's stream holds the position the header asks for; 503 when it does not in time. */
    public void await(Tenant tenant, String header) {
        long position = parse(header);
        if (position < 0) {
            return;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (head(tenant) < position) {
            if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                throw new ProjectionsBehindException("The tenant's event stream", position);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private long head(Tenant tenant) {
        return StreamHead.of(regions.region(tenant.region()).jdbc(), tenant);
    }
}
