package org.clinical.projections.readmodel;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.clinical.infra.processing.StoredTokens;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each projection of each tenant has committed, as its tracking token, published after the commit of
 * every batch (and after the batch's cache evictions), so a read that waits for a position here also sees
 * the cache without what the position changed. Loaded from the tenant's {@code token_entry} the first time
 * it is asked. A position is reached when the token covers it: at or beyond it, and not one of the token's
 * gaps (an event still being committed when later ones were read).
 */
public class ProjectionPositions {

    private final Regions regions;
    private final Serializer serializer;
    private final Map<String, Map<String, TrackingToken>> tokens = new ConcurrentHashMap<>();
    private final Map<String, Object> monitors = new ConcurrentHashMap<>();

    public ProjectionPositions(Regions regions, Serializer serializer) {
        this.regions = regions;
        this.serializer = serializer;
    }

    public void advance(Tenant tenant, String projection, TrackingToken token) {
        tokens.computeIfAbsent(tenant.id(), id -> new ConcurrentHashMap<>()).put(projection, token);
        Object monitor = monitor(tenant);
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** Forgets the position held in memory: the next question reads the committed token. */
    public void reload(Tenant tenant, String projection) {
        tokens.getOrDefault(tenant.id(), new ConcurrentHashMap<>()).remove(projection);
        Object monitor = monitor(tenant);
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /** The last committed position of the projection, -1 before its first event. */
    public long position(Tenant tenant, String projection) {
        TrackingToken token = token(tenant, projection);
        return token == null ? -1 : token.position().orElse(-1);
    }

    /**
     * The positions below the projection's last one that it has not handled: the gaps of its token (positions
     * still uncommitted, or rolled back, when it read past them); empty when it has none.
     */
    public SortedSet<Long> gaps(Tenant tenant, String projection) {
        return token(tenant, projection) instanceof GapAwareTrackingToken gapAware ? gapAware.getGaps()
                : new TreeSet<>();
    }

    public boolean reached(Tenant tenant, Collection<String> projections, long position) {
        return projections.stream().allMatch(p -> covers(token(tenant, p), position));
    }

    /** Waits until every one of the projections has reached the position; false when the time ran out. */
    public boolean await(Tenant tenant, Collection<String> projections, long position, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object monitor = monitor(tenant);
        synchronized (monitor) {
            while (!reached(tenant, projections, position)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                Duration wait = Duration.ofNanos(left);
                monitor.wait(Math.max(1, wait.toMillis()));
            }
            return true;
        }
    }

    static boolean covers(TrackingToken token, long position) {
        if (token == null) {
            return position < 0;
        }
        if (token instanceof GapAwareTrackingToken gapAware) {
            return gapAware.getIndex() >= position && !gapAware.getGaps().contains(position);
        }
        return token.position().orElse(-1) >= position;
    }

    private TrackingToken token(Tenant tenant, String projection) {
        Map<String, TrackingToken> ofTenant = tokens.computeIfAbsent(tenant.id(), id -> new ConcurrentHashMap<>());
        TrackingToken token = ofTenant.get(projection);
        if (token == null) {
            token = stored(tenant, projection);
            if (token != null) {
                ofTenant.putIfAbsent(projection, token);
            }
        }
        return token;
    }

    /** The token as last committed in {@code token_entry}; read without claiming it. */
    private TrackingToken stored(Tenant tenant, String projection) {
        return StoredTokens.read(regions.region(tenant.region()).jdbc(), serializer, tenant, projection);
    }

    private Object monitor(Tenant tenant) {
        return monitors.computeIfAbsent(tenant.id(), id -> new Object());
    }
}
