package org.clinical.projections.audit;

import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.ActiveTenants;
import org.clinical.infra.tenant.Tenant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Seals checkpoints over every tenant's event stream, after commit and outside the event table
 * (docs/operations.md "Audit: tamper evidence"). Every {@code clinical.audit.seal-interval} each instance looks
 * at each tenant, in one repeatable-read transaction of the tenant's region:
 * <ol>
 *     <li>takes the tenant's sealing lock ({@code pg_try_advisory_xact_lock}): one instance seals a tenant at a
 *     time, the others skip it; the checkpoint's primary key refuses a second one with the same number anyway;</li>
 *     <li>late events: positions recorded as holes of an earlier checkpoint that now hold an event (a transaction
 *     that took its position before the earlier seal and committed after it) join this checkpoint, listed in
 *     {@code audit_checkpoint_late};</li>
 *     <li>the range: every position after the previous checkpoint's up to the highest committed one (at most
 *     {@link #MAX_RANGE} positions); the positions without an event become holes, kept {@link #HOLE_RETENTION};</li>
 *     <li>the digest is computed in SQL over (position, chain_hash) of the members in position order, chained to
 *     the previous checkpoint's digest, and signed here with the configured key.</li>
 * </ol>
 * After commit each checkpoint's digest is logged at INFO (tenant, number, positions, counts, digest: no PHI):
 * the anchor kept outside the database. No state shared between instances lives in memory; the last checkpoint
 * each instance saw is remembered only to raise an alarm if the table goes backwards.
 */
public final class AuditSealer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditSealer.class);
    /** Positions one checkpoint covers at most: a backlog (the first seal of a long store) is sealed in steps. */
    static final long MAX_RANGE = 100_000;
    /** Checkpoints one tenant gets per round at most, so one busy tenant does not hold the others back. */
    static final int MAX_CHECKPOINTS_PER_ROUND = 10;
    /**
     * How long a hole may still be filled by a late commit: far beyond the longest a command transaction stays
     * open (statement and idle-in-transaction timeouts of the command pool, and the 10-minute gap timeout of the
     * processors rest on the same bound). An event appearing in an older hole is reported as inserted.
     */
    static final Duration HOLE_RETENTION = Duration.ofHours(1);
    /** First key of the advisory locks (the second is the tenant schema's hash): "AUDT". */
    static final int LOCK_CLASS = 0x41554454;
    private static final byte[] ZERO_DIGEST = new byte[32];

    private final ActiveTenants tenants;
    private final Regions regions;
    private final CheckpointSigner signer;
    private final Duration interval;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final Set<String> alarmed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("audit-sealer").daemon().factory());

    public AuditSealer(ActiveTenants tenants, Regions regions, CheckpointSigner signer, Duration interval) {
        this.tenants = tenants;
        this.regions = regions;
        this.signer = signer;
        this.interval = interval;
    }

    public void start() {
        if (!signer.signs()) {
            log.warn("clinical.audit.signing.key (CLINICAL_AUDIT_SIGNING_KEY) is not set: audit checkpoints are sealed"
                    + " unsigned. Set it outside local runs.");
        }
        scheduler.scheduleWithFixedDelay(this::sealAllQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Seals what the tenant's store holds beyond its last checkpoint: one checkpoint, or several of
     * {@link #MAX_RANGE} positions (at most {@link #MAX_CHECKPOINTS_PER_ROUND}) for a backlog; answers them. Nothing when another instance holds the tenant's lock.
     * Serialized on this instance, so a caller (a test) and the background round never race each other.
     */
    public List<Checkpoint> seal(Tenant tenant) {
        return seal(tenant, regions.region(tenant.region()));
    }

    synchronized List<Checkpoint> seal(Tenant tenant, Regions.Region region) {
        List<Checkpoint> sealed = new ArrayList<>();
        for (int i = 0; i < MAX_CHECKPOINTS_PER_ROUND; i++) {
            Optional<Checkpoint> checkpoint = sealOnce(tenant, region);
            if (checkpoint.isEmpty()) {
                break;
            }
            sealed.add(checkpoint.get());
            Checkpoint c = checkpoint.get();
            log.info("Audit checkpoint sealed: tenant={} checkpoint={} range=({}, {}] events={} late={} digest={}"
                            + " signed={}", tenant.id(), c.id(), c.rangeStart(), c.upperPosition(), c.eventCount(),
                    c.lateCount(), c.digestHex(), c.signed() ? c.keyId() : "no");
            if (c.upperPosition() - c.rangeStart() < MAX_RANGE) {
                // the store is sealed to what was committed at its start: what commits meanwhile waits for the next
                // round, instead of a checkpoint of a few events each time round this loop under load
                break;
            }
        }
        return sealed;
    }

    private void sealAllQuietly() {
        for (Tenant tenant : tenants.all()) {
            try {
                seal(tenant);
            } catch (RuntimeException e) {
                log.warn("Sealing the audit checkpoint of tenant {} failed: {}", tenant.id(), e.getClass().getName());
            }
        }
    }

    private Optional<Checkpoint> sealOnce(Tenant tenant, Regions.Region region) {
        TransactionTemplate tx = new TransactionTemplate(region.transactionManager());
        tx.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        try {
            return tx.execute(status -> sealInTransaction(tenant, region.jdbc()));
        } catch (DuplicateKeyException e) {
            log.debug("Another instance sealed tenant {} meanwhile", tenant.id());
            return Optional.empty();
        }
    }

    private Optional<Checkpoint> sealInTransaction(Tenant tenant, JdbcTemplate jdbc) {
        String s = tenant.schema();
        if (!Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?, hashtext(?))",
                Boolean.class, LOCK_CLASS, s))) {
            return Optional.empty();
        }
        Previous previous = jdbc.query("select checkpoint_id, upper_position, last_position, digest from " + s
                + ".audit_checkpoint order by checkpoint_id desc limit 1", AuditSealer::previous);
        long high = jdbc.queryForObject("select coalesce(max(global_index), 0) from " + s + ".domain_event_entry",
                Long.class);
        alarms(tenant, previous, high);
        Instant sealedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // each recent hole looked up by its primary key (a lateral read kept apart by "offset 0"): as a join,
        // PostgreSQL hashed the holes and read the whole event table at every round
        List<Long> late = jdbc.queryForList("select e.global_index from " + s + ".audit_checkpoint_hole h"
                + " cross join lateral (select x.global_index from " + s + ".domain_event_entry x"
                + " where x.global_index = h.position offset 0) e where h.since >= ? and not exists"
                + " (select 1 from " + s + ".audit_checkpoint_late l where l.position = h.position) order by 1",
                Long.class, OffsetDateTime.ofInstant(sealedAt.minus(HOLE_RETENTION), ZoneOffset.UTC));
        long start = previous.upper();
        long upper = Math.max(start, Math.min(high, start + MAX_RANGE));
        if (upper == start && late.isEmpty()) {
            return Optional.empty();
        }
        long id = previous.id() + 1;
        OffsetDateTime sealedAtSql = OffsetDateTime.ofInstant(sealedAt, ZoneOffset.UTC);
        String lateArray = late.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
        Members members = jdbc.queryForObject("""
                select count(*), min(global_index), max(global_index),
                       sha256(?::bytea || int8send(?::bigint) || int8send(?::bigint) || int8send(?::bigint)
                              || int8send(count(*))
                              || coalesce(string_agg(int8send(global_index) || chain_hash, ''::bytea
                                                     order by global_index), ''::bytea))
                from %s.domain_event_entry
                where (global_index > ? and global_index <= ?) or global_index = any(?::bigint[])""".formatted(s),
                (rs, row) -> new Members(rs.getLong(1), (Long) rs.getObject(2), (Long) rs.getObject(3),
                        rs.getBytes(4)),
                previous.digest(), id, start, upper, start, upper, lateArray);
        // the range's positions less its events, both bounded by the range: written as "not exists", PostgreSQL
        // planned an anti join that read the whole event table at every round
        jdbc.update("insert into " + s + ".audit_checkpoint_hole (position, checkpoint_id, since)"
                + " select h.g, ?, ? from (select generate_series(?::bigint + 1, ?::bigint) as g except all"
                + " select e.global_index from " + s + ".domain_event_entry e"
                + " where e.global_index > ? and e.global_index <= ?) h",
                id, sealedAtSql, start, upper, start, upper);
        if (!late.isEmpty()) {
            jdbc.update("insert into " + s + ".audit_checkpoint_late (position, checkpoint_id)"
                    + " select unnest(?::bigint[]), ?", lateArray, id);
        }
        Checkpoint unsigned = new Checkpoint(id, start, upper, members.count(), late.size(), members.first(),
                members.last(), members.digest(), null, null, sealedAt);
        byte[] signature = signer.sign(unsigned.signedText(tenant.id())).orElse(null);
        Checkpoint checkpoint = new Checkpoint(id, start, upper, members.count(), late.size(), members.first(),
                members.last(), members.digest(), signature, signature == null ? null : signer.keyId(), sealedAt);
        jdbc.update("insert into " + s + ".audit_checkpoint (checkpoint_id, range_start, upper_position, event_count,"
                        + " late_count, first_position, last_position, digest, signature, key_id, sealed_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", checkpoint.id(), checkpoint.rangeStart(),
                checkpoint.upperPosition(), checkpoint.eventCount(), checkpoint.lateCount(),
                checkpoint.firstPosition(), checkpoint.lastPosition(), checkpoint.digest(), checkpoint.signature(),
                checkpoint.keyId(), sealedAtSql);
        lastSeen.merge(tenant.id(), id, Math::max);
        return Optional.of(checkpoint);
    }

    /**
     * Alarms this instance can raise on its own: the checkpoint table went backwards (its newest rows removed), or
     * the store ends below the newest sealed event (the newest events removed). The verification finds the latter
     * too; these only make it loud sooner. Logged at ERROR once per finding, with ids and positions only.
     */
    private void alarms(Tenant tenant, Previous previous, long high) {
        Long seen = lastSeen.get(tenant.id());
        if (seen != null && previous.id() < seen && alarmed.add(tenant.id() + "/checkpoints/" + previous.id())) {
            log.error("Audit: tenant {} holds checkpoints up to {} but this instance saw checkpoint {}: checkpoints"
                    + " were removed; run GET /api/v1/{}/audit/verify", tenant.id(), previous.id(), seen, tenant.id());
        }
        if (previous.last() != null && high < previous.last()
                && alarmed.add(tenant.id() + "/events/" + previous.id() + "/" + high)) {
            log.error("Audit: tenant {} stores events up to position {} but checkpoint {} sealed position {}: sealed"
                            + " events were removed; run GET /api/v1/{}/audit/verify", tenant.id(), high, previous.id(),
                    previous.last(), tenant.id());
        }
        lastSeen.merge(tenant.id(), previous.id(), Math::max);
    }

    private record Previous(long id, long upper, Long last, byte[] digest) {
    }

    private record Members(long count, Long first, Long last, byte[] digest) {
    }

    private static Previous previous(ResultSet rs) throws SQLException {
        return rs.next()
                ? new Previous(rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3), rs.getBytes(4))
                : new Previous(0, 0, null, ZERO_DIGEST);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
