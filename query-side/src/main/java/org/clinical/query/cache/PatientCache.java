package org.clinical.query.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.clinical.infra.tenant.Tenant;
import org.clinical.projections.readmodel.ReadModelChanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Patient reads answered from Redis, never older than the read models.
 *
 * <p>Keys carry the tenant as a hash tag and the tenant's epoch: {@code clinical:{t}:e<epoch>:patient:<id>:summary}.
 * After a batch commits, the projections evict its patients' keys and raise each patient's generation
 * ({@code clinical:{t}:patient:<id>:gen}); a rebuilt read model raises the tenant's epoch, so older keys are
 * never read again. A miss remembers the epoch and generation it saw before reading PostgreSQL, and its fill
 * is written only if neither moved since ({@link CacheScripts#FILL}): a reader that loaded the old rows before
 * an eviction cannot put them back after it.
 *
 * <p>Redis is a fast path only: when it fails, reads go to PostgreSQL and skip Redis for
 * {@link CacheProperties#retryAfter}. An eviction that could not be made marks its tenant stale, in memory
 * and durably in PostgreSQL ({@link StaleTenants}), before the batch's position is published. Raising a stale
 * tenant's epoch drops whatever the failed eviction missed: this instance reads nothing from Redis for a
 * tenant it marked until that is done, and no instance reads Redis at all after its start until it has
 * raised the epochs of every tenant marked in PostgreSQL ({@link #sweep}, also run every
 * {@link CacheProperties#staleCheck} for the marks other instances made).
 */
public class PatientCache implements ReadModelChanges {

    public enum Part { SUMMARY, VITALS }

    private static final Logger log = LoggerFactory.getLogger(PatientCache.class);

    private final StringRedisTemplate redis;
    private final ObjectMapper json;
    private final CacheProperties properties;
    private final Map<Part, Map<String, Counter>> counters = new EnumMap<>(Part.class);
    private final Counter evictionErrors;
    private final Map<Part, Timer> lookups = new EnumMap<>(Part.class);
    private final StaleTenants staleTenants;
    /** Tenants this instance marked stale since its last sweep, each with the sequence number of its mark. */
    private final Map<String, Long> marked = new ConcurrentHashMap<>();
    /** Marks whose write to PostgreSQL failed: retried by every sweep. */
    private final Map<String, Tenant> unrecorded = new ConcurrentHashMap<>();
    private final AtomicLong markSequence = new AtomicLong();
    private volatile boolean swept;
    private volatile long skipUntil = System.nanoTime();

    PatientCache(StringRedisTemplate redis, ObjectMapper json, CacheProperties properties, MeterRegistry meters,
                 StaleTenants staleTenants) {
        this.staleTenants = staleTenants;
        this.redis = redis;
        this.json = json;
        this.properties = properties;
        for (Part part : Part.values()) {
            Map<String, Counter> byResult = new ConcurrentHashMap<>();
            for (String result : List.of("hit", "miss", "error", "bypass")) {
                byResult.put(result, Counter.builder("clinical.cache.requests")
                        .description("Patient reads by cache outcome: bypass = Redis skipped after a failure")
                        .tag("cache", name(part)).tag("result", result).register(meters));
            }
            counters.put(part, byResult);
            // the same buckets as clinical.access_log.wait: the two are read side by side (docs/performance.md)
            lookups.put(part, Timer.builder("clinical.cache.lookup")
                    .description("One Redis round trip of a patient read (epoch, generation and value) that Redis"
                            + " answered; a failed one counts in clinical.cache.requests as an error")
                    .tag("cache", name(part)).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10))
                    .maximumExpectedValue(Duration.ofSeconds(5))
                    .register(meters));
        }
        this.evictionErrors = Counter.builder("clinical.cache.evictions.failed")
                .description("Evictions Redis could not take; their tenants' epochs are raised once it is back")
                .register(meters);
    }

    /**
     * The answer as JSON, with its version: from Redis as it was cached (no parsing, no serializing on a hit), or
     * {@code load}'s, serialized (and cached when not null). {@code load} answers null for a patient the read
     * model does not know; that is never cached, and the answer is null.
     */
    public <T> Cached read(Tenant tenant, UUID patientId, Part part, Supplier<T> load, ToLongFunction<T> versionOf) {
        Lookup lookup = lookup(tenant, patientId, part);
        if (lookup != null && lookup.value() != null) {
            Cached cached = Cached.parse(lookup.value());
            if (cached != null) {
                count(part, "hit");
                return cached;
            }
            log.warn("unreadable cache entry {}, read from PostgreSQL instead", lookup.key());
        }
        T loaded = load.get();
        if (lookup != null) {
            count(part, "miss");
        }
        if (loaded == null) {
            return null;
        }
        Cached answer;
        try {
            answer = new Cached(json.writeValueAsString(loaded), versionOf.applyAsLong(loaded));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + loaded.getClass().getSimpleName(), e);
        }
        if (lookup != null) {
            fill(lookup, part, answer.stored());
        }
        return answer;
    }

    /** An answer as JSON and its version; stored in Redis as {@code <version>\n<json>}. */
    public record Cached(String json, long version) {

        String stored() {
            return version + "\n" + json;
        }

        static Cached parse(String stored) {
            int newline = stored.indexOf('\n');
            try {
                return newline < 0 ? null : new Cached(stored.substring(newline + 1),
                        Long.parseLong(stored, 0, newline, 10));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    @Override
    public void patientsChanged(Tenant tenant, Collection<String> patientIds) {
        if (!usable()) {
            markStale(tenant);
            return;
        }
        List<String> args = new ArrayList<>(patientIds.size() + 1);
        args.add(prefix(tenant));
        args.addAll(patientIds);
        try {
            redis.execute(CacheScripts.EVICT, List.of(epochKey(tenant)), args.toArray());
        } catch (RuntimeException e) {
            evictionFailed(tenant, e);
        }
    }

    @Override
    public void rebuilt(Tenant tenant, String projection) {
        if (!usable()) {
            markStale(tenant);
            return;
        }
        try {
            redis.opsForValue().increment(epochKey(tenant));
        } catch (RuntimeException e) {
            evictionFailed(tenant, e);
        }
    }

    /**
     * Raises the epoch of every tenant marked stale, here or in PostgreSQL by any instance, and clears the marks
     * seen; answers whether that worked (Redis and PostgreSQL both answered). Until the first sweep after
     * start-up succeeds, nothing is read from Redis.
     */
    @Scheduled(fixedDelayString = "${clinical.cache.stale-check:1s}", initialDelayString = "${clinical.cache.stale-check:1s}")
    public synchronized boolean sweep() {
        recordUnrecorded();
        if (!usable()) {
            return false;
        }
        Map<String, Long> markedHere = Map.copyOf(marked);
        List<StaleTenants.Mark> marks;
        try {
            marks = staleTenants.marks();
        } catch (RuntimeException e) {
            log.warn("cannot read the stale cache marks (tried again at the next sweep): {}", e.toString());
            return false;
        }
        Set<String> stale = new HashSet<>(markedHere.keySet());
        marks.forEach(mark -> stale.add(mark.tenantId()));
        try {
            for (String tenantId : stale) {
                redis.opsForValue().increment(epochKey(tenantId));
            }
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
        try {
            marks.forEach(staleTenants::clear);
        } catch (RuntimeException e) {
            log.warn("cannot clear stale cache marks (their epochs are raised again later): {}", e.toString());
        }
        markedHere.forEach(marked::remove);
        if (!stale.isEmpty()) {
            log.info("raised the cache epoch of {} tenant(s) whose evictions had failed", stale.size());
        }
        swept = true;
        return true;
    }

    /** Epoch, generation and cached value, read in one round trip; null when Redis is not used now. */
    private Lookup lookup(Tenant tenant, UUID patientId, Part part) {
        if (!usable()) {
            count(part, "bypass");
            return null;
        }
        if ((!swept || marked.containsKey(tenant.id())) && !sweep()) {
            count(part, "error");
            return null;
        }
        String prefix = prefix(tenant);
        long start = System.nanoTime();
        try {
            List<?> found = redis.execute(CacheScripts.READ, List.of(epochKey(tenant), generationKey(prefix, patientId)),
                    prefix + "e", ":patient:" + patientId + ":" + name(part));
            lookups.get(part).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            String epoch = (String) found.get(0);
            return new Lookup(tenant, patientId, epoch, (String) found.get(1),
                    prefix + "e" + epoch + ":patient:" + patientId + ":" + name(part),
                    found.size() > 2 ? (String) found.get(2) : null);
        } catch (RuntimeException e) {
            failed(e);
            count(part, "error");
            return null;
        }
    }

    private void fill(Lookup lookup, Part part, String value) {
        Duration ttl = part == Part.SUMMARY ? properties.summaryTtl() : properties.vitalsTtl();
        try {
            redis.execute(CacheScripts.FILL,
                    List.of(epochKey(lookup.tenant()), generationKey(prefix(lookup.tenant()), lookup.patientId()),
                            lookup.key()),
                    lookup.epoch(), lookup.generation(), value, String.valueOf(ttl.toMillis()));
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void evictionFailed(Tenant tenant, RuntimeException e) {
        evictionErrors.increment();
        failed(e);
        markStale(tenant);
    }

    /** In memory at once; in PostgreSQL before the caller goes on (and the batch's position is published). */
    private void markStale(Tenant tenant) {
        marked.put(tenant.id(), markSequence.incrementAndGet());
        try {
            staleTenants.mark(tenant);
        } catch (RuntimeException e) {
            unrecorded.put(tenant.id(), tenant);
            log.warn("cannot record the stale cache of tenant {} in PostgreSQL, retried: {}", tenant.id(), e.toString());
        }
    }

    private void recordUnrecorded() {
        for (Tenant tenant : List.copyOf(unrecorded.values())) {
            try {
                staleTenants.mark(tenant);
                unrecorded.remove(tenant.id(), tenant);
            } catch (RuntimeException e) {
                return;
            }
        }
    }

    private boolean usable() {
        return System.nanoTime() - skipUntil >= 0;
    }

    private void failed(RuntimeException e) {
        if (usable()) {
            log.warn("Redis failed, patient reads go to PostgreSQL for {}: {}", properties.retryAfter(), e.toString());
        }
        skipUntil = System.nanoTime() + properties.retryAfter().toNanos();
    }

    private void count(Part part, String result) {
        counters.get(part).get(result).increment();
    }

    private static String name(Part part) {
        return part.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String prefix(Tenant tenant) {
        return "clinical:{" + tenant.id() + "}:";
    }

    private static String epochKey(Tenant tenant) {
        return epochKey(tenant.id());
    }

    private static String epochKey(String tenantId) {
        return "clinical:{" + tenantId + "}:epoch";
    }

    private static String generationKey(String prefix, UUID patientId) {
        return prefix + "patient:" + patientId + ":gen";
    }

    private record Lookup(Tenant tenant, UUID patientId, String epoch, String generation, String key, String value) {
    }
}
