package org.clinical.projections.audit;

import com.zaxxer.hikari.HikariDataSource;
import org.clinical.infra.region.ReadTransaction;
import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies a tenant's event store against its chains and checkpoints (docs/operations.md "Audit: tamper
 * evidence"), in one read-only repeatable-read snapshot, so the events and the checkpoints are one state:
 * <ul>
 *     <li>every event's chain link, range by range of the table's heap blocks ({@link #CHECK_BLOCKS} per statement),
 *     by up to {@link #CHECKERS} connections besides the walk's own, which import the walk's snapshot
 *     ({@code pg_export_snapshot}), and by the walk's connection for the ranges left after its walk: PostgreSQL
 *     recomputes each event's chain hash from its stored bytes and the stored chain hash of
 *     the previous event of its aggregate (found through the unique index), so the payloads never leave the
 *     database, and answers only the events that fail: a mismatch is {@link Kind#ALTERED}, a missing previous event
 *     {@link Kind#DELETED};</li>
 *     <li>every checkpoint, as the events stream past in position order on the walk's connection: the digest is
 *     recomputed here from (position, chain_hash) of its members, fewer members than sealed is {@link Kind#DELETED},
 *     more {@link Kind#INSERTED}, the same number with another digest {@link Kind#ALTERED}; a missing or
 *     out-of-order checkpoint or a wrong signature is {@link Kind#CHECKPOINT}.</li>
 * </ul>
 * The hashing, most of the work, thus runs on several PostgreSQL backends at once when the pool has connections to
 * spare, while every statement stays short (under the query pool's timeout, whatever the store's size). Events
 * after the newest checkpoint (sealed within seconds) are covered by their aggregate's chain only.
 */
public final class AuditVerification {

    /** What a break is. */
    public enum Kind {
        /** An event's stored bytes or chain hash differ from what was chained or sealed. */
        ALTERED,
        /** An event is missing: a gap in an aggregate's chain, or fewer events than a checkpoint sealed. */
        DELETED,
        /** An event is not what was sealed: more events in a checkpoint's range than it sealed. */
        INSERTED,
        /** A checkpoint itself is missing, out of order, unsigned after signed ones, or its signature is wrong. */
        CHECKPOINT
    }

    /**
     * One finding. {@code position} is the event's own for a chain break; for a checkpoint's, the position it was
     * sealed at when that is known (its newest event removed), otherwise the lowest position of its events.
     */
    public record Break(long position, Kind kind, Long checkpointId, String detail) {
    }

    /**
     * @param valid               no break found
     * @param checkedEvents       the events read (every event of the store at the snapshot)
     * @param firstBrokenPosition the lowest position of a break, null when valid
     * @param breaks              the {@link #MAX_LISTED_BREAKS} breaks of the lowest positions, in position order
     * @param breakCount          every break found
     * @param highestPosition     the highest stored position at the snapshot (0 for an empty store)
     * @param sealedEvents        events covered by a checkpoint
     * @param unsealedEvents      events after the newest checkpoint: their chains are checked, no checkpoint yet
     * @param pendingLateEvents   events committed late into an earlier checkpoint's range, not sealed yet
     * @param checkpoints         the checkpoints checked
     * @param lastCheckpoint      the newest checkpoint, null before the first seal
     * @param signaturesChecked   whether a signing key is configured, so signatures were checked
     * @param unsignedCheckpoints checkpoints sealed without a key (before any signed one)
     */
    public record Report(boolean valid, long checkedEvents, Long firstBrokenPosition, List<Break> breaks,
                         long breakCount, long highestPosition, long sealedEvents, long unsealedEvents,
                         long pendingLateEvents, long checkpoints, Checkpoint lastCheckpoint,
                         boolean signaturesChecked, long unsignedCheckpoints, Instant verifiedAt) {
    }

    static final int MAX_LISTED_BREAKS = 100;
    /** Connections checking the chain links besides the walk's own: each a PostgreSQL backend hashing. */
    static final int CHECKERS = 2;
    /**
     * Heap blocks per statement of a checker: 32 MiB of the table, about 40,000 events of 800 bytes, a fraction of
     * a second, far under the query timeout.
     */
    static final int CHECK_BLOCKS = 4_096;
    /** For the verification's transactions: the nested loop of {@code LINKS} kept (no hash or merge join), no JIT. */
    private static final List<String> SETTINGS = List.of("enable_hashjoin = off", "enable_mergejoin = off",
            "jit = off");

    /** The advisory lock a verification holds, with the tenant schema's {@code hashtext}: one per tenant at a time. */
    public static final int LOCK_CLASS = AuditSealer.LOCK_CLASS + 1;
    private static final int EVENT_FETCH = 10_000;
    private static final int CHECKPOINT_FETCH = 1_000;
    private static final byte[] ZERO = new byte[32];

    /** The walk's events: position and chain hash, in position order (the primary key's). */
    private static final String EVENTS = """
            select e.global_index, e.chain_hash from %s.domain_event_entry e order by e.global_index""";

    /**
     * The events of a range of heap blocks ({@code ctid}, a TID range scan) whose chain link fails: PostgreSQL
     * recomputes each chain hash; the previous event of the aggregate comes by the unique index (a nested loop: a
     * hash join would spill the whole table to disk), looked up only for an event after its aggregate's first (the
     * lateral subquery's one-time filter skips the probe otherwise). Answers position, sequence, and whether the
     * previous event is there.
     */
    private static final String LINKS = """
            select e.global_index, e.sequence_number, e.sequence_number = 0 or p.present is not null
            from %s.domain_event_entry e
            left join lateral (
                select true as present, p.chain_hash from %s.domain_event_entry p
                where e.sequence_number > 0 and p.aggregate_identifier = e.aggregate_identifier
                  and p.sequence_number = e.sequence_number - 1
                offset 0) p on true
            where e.ctid >= ?::tid and e.ctid < ?::tid
              and (not (e.sequence_number = 0 or p.present is not null)
                   or not coalesce(e.chain_hash = sha256(coalesce(p.chain_hash, '\\x%s'::bytea)
                       || %s.event_chain_bytes(e.global_index, e.event_identifier, e.aggregate_identifier,
                                               e.sequence_number, e.type, e.time_stamp, e.payload_type,
                                               e.payload_revision, e.payload, e.meta_data)), false))""";

    private AuditVerification() {
    }

    /**
     * Verifies the tenant's store on the given (query) pool. Empty when a verification of the tenant is already
     * running (on any instance): one at a time per tenant, as it reads the whole store.
     */
    public static Optional<Report> verify(Tenant tenant, JdbcTemplate jdbc, CheckpointSigner signer) {
        return verify(tenant, jdbc, signer, CHECK_BLOCKS);
    }

    static Optional<Report> verify(Tenant tenant, JdbcTemplate jdbc, CheckpointSigner signer, int checkBlocks) {
        return Optional.ofNullable(ReadTransaction.run(jdbc, ReadTransaction.Mode.SNAPSHOT, SETTINGS,
                con -> verify(tenant, jdbc, con, signer, checkBlocks)));
    }

    private static Report verify(Tenant tenant, JdbcTemplate jdbc, Connection con, CheckpointSigner signer,
                                 int checkBlocks) throws SQLException {
        String s = tenant.schema();
        Instant verifiedAt = Instant.now();
        String snapshot;
        long blocks;
        try (Statement st = con.createStatement();
             ResultSet rs = st.executeQuery("select pg_try_advisory_xact_lock(" + LOCK_CLASS + ", hashtext('" + s
                     + "')), pg_export_snapshot(), pg_relation_size('" + s + ".domain_event_entry')"
                     + " / current_setting('block_size')::bigint")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return null;
            }
            snapshot = rs.getString(2);
            blocks = rs.getLong(3);
        }
        // every event of the snapshot was inserted before it, so it lies in the blocks the table had then
        String sql = LINKS.formatted(s, s, hex(ZERO), s);
        Checkers checkers = Checkers.start(jdbc, snapshot, sql, blocks, checkBlocks);
        try {
            Walk walked = walk(tenant, con, signer, verifiedAt);
            return walked.report(checkers.join(checkers.take(con, new AtomicBoolean())));
        } finally {
            checkers.stop();
        }
    }

    /** The walk over every event, checkpoint and hole, ended; its report waits for the chain links' findings. */
    private static Walk walk(Tenant tenant, Connection con, CheckpointSigner signer, Instant verifiedAt)
            throws SQLException {
        String s = tenant.schema();
        Map<Long, Long> late = new HashMap<>();
        try (Statement st = con.createStatement();
             ResultSet rs = st.executeQuery("select position, checkpoint_id from " + s + ".audit_checkpoint_late")) {
            while (rs.next()) {
                late.put(rs.getLong(1), rs.getLong(2));
            }
        }
        try (PreparedStatement checkpoints = con.prepareStatement("select checkpoint_id, range_start,"
                + " upper_position, event_count, late_count, first_position, last_position, digest, signature, key_id,"
                + " sealed_at from " + s + ".audit_checkpoint order by checkpoint_id");
             PreparedStatement holes = con.prepareStatement("select position, since >= ? from " + s
                     + ".audit_checkpoint_hole order by position");
             PreparedStatement events = con.prepareStatement(EVENTS.formatted(s))) {
            checkpoints.setFetchSize(CHECKPOINT_FETCH);
            holes.setFetchSize(CHECKPOINT_FETCH);
            holes.setObject(1, OffsetDateTime.ofInstant(verifiedAt.minus(AuditSealer.HOLE_RETENTION),
                    java.time.ZoneOffset.UTC));
            events.setFetchSize(EVENT_FETCH);
            try (ResultSet cps = checkpoints.executeQuery(); ResultSet hs = holes.executeQuery();
                 ResultSet rows = events.executeQuery()) {
                Walk walk = new Walk(tenant.id(), signer, late, cps, hs, verifiedAt);
                while (rows.next()) {
                    walk.event(rows.getLong(1), rows.getBytes(2));
                }
                walk.end();
                return walk;
            }
        }
    }

    /**
     * The chain links of the store, checked range by range of heap blocks: each range is taken once, by whichever
     * connection asks first. Up to {@link #CHECKERS} connections of their own, started only as far as the pool has
     * idle ones, import the walk's snapshot and take ranges while the walk runs; the walk's connection takes what is
     * left when its walk is done, so a pool with no connection to spare still verifies everything, on one backend.
     * Each keeps the count of its breaks and the {@link #MAX_LISTED_BREAKS} of the lowest positions. A checker that
     * fails before it took a range is left out (its ranges are taken by the others); one that fails after fails the
     * verification. The verification waits for every checker that took a range; a failure of the walk stops them at
     * their next range.
     */
    private static final class Checkers {

        private final String snapshot;
        private final String sql;
        private final long ranges;
        private final int checkBlocks;
        private final AtomicLong next = new AtomicLong();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final List<Checker> running = new ArrayList<>();

        private record Checker(CompletableFuture<Found> result, AtomicBoolean working) {
        }

        private Checkers(String snapshot, String sql, long ranges, int checkBlocks) {
            this.snapshot = snapshot;
            this.sql = sql;
            this.ranges = ranges;
            this.checkBlocks = checkBlocks;
        }

        static Checkers start(JdbcTemplate jdbc, String snapshot, String sql, long blocks, int checkBlocks) {
            Checkers checkers = new Checkers(snapshot, sql, (blocks + checkBlocks - 1) / checkBlocks, checkBlocks);
            long spare = jdbc.getDataSource() instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null
                    ? pool.getHikariPoolMXBean().getIdleConnections() : CHECKERS;
            for (int i = 0; i < Math.min(Math.min(CHECKERS, spare), checkers.ranges - 1); i++) {
                Checker checker = new Checker(new CompletableFuture<>(), new AtomicBoolean());
                Thread.ofPlatform().name("audit-verify-checker-" + i).start(() -> {
                    try {
                        checker.result().complete(ReadTransaction.inSnapshot(jdbc, snapshot, SETTINGS,
                                con -> checkers.take(con, checker.working())));
                    } catch (Throwable e) {
                        checker.result().completeExceptionally(e);
                    }
                });
                checkers.running.add(checker);
            }
            return checkers;
        }

        /**
         * Takes ranges until none is left, on a checker's connection or, when its walk is done, on the walk's own;
         * {@code working} is set before the first is taken.
         */
        Found take(Connection con, AtomicBoolean working) throws SQLException {
            Found found = new Found();
            working.set(true);
            try (PreparedStatement links = con.prepareStatement(sql)) {
                for (long range = next.getAndIncrement(); range < ranges && !stopped.get();
                     range = next.getAndIncrement()) {
                    links.setString(1, "(" + range * checkBlocks + ",0)");
                    links.setString(2, "(" + (range + 1) * checkBlocks + ",0)");
                    try (ResultSet rs = links.executeQuery()) {
                        while (rs.next()) {
                            long sequence = rs.getLong(2);
                            found.add(rs.getBoolean(3)
                                    ? new Break(rs.getLong(1), Kind.ALTERED, null,
                                    "its stored bytes or chain hash do not match its aggregate's chain")
                                    : new Break(rs.getLong(1), Kind.DELETED, null, "the event before it in its"
                                    + " aggregate's chain (sequence " + (sequence - 1) + ") is missing"));
                        }
                    }
                }
            }
            return found;
        }

        /**
         * The walk's connection's findings with those of every checker that took a range, once they have ended;
         * a checker that never started working took none, as every range is taken by now.
         */
        Found join(Found own) throws SQLException {
            for (Checker checker : running) {
                if (!checker.working().get()) {
                    continue;
                }
                try {
                    own.addAll(checker.result().join());
                } catch (CompletionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new SQLException("a chain checker failed", e.getCause());
                }
            }
            return own;
        }

        /** Stops the checkers at their next range and waits for those working to end. */
        void stop() {
            stopped.set(true);
            for (Checker checker : running) {
                if (checker.working().get()) {
                    try {
                        checker.result().join();
                    } catch (CompletionException ignored) {
                        // reported by join(), or the walk's own failure is the one that matters
                    }
                }
            }
        }
    }

    /**
     * Breaks found: their count, and the {@link #MAX_LISTED_BREAKS} of the lowest positions (so the lowest of all
     * among them).
     */
    private static final class Found {

        private final PriorityQueue<Break> lowest = new PriorityQueue<>(
                Comparator.comparingLong(Break::position).reversed());
        private long count;

        void add(Break found) {
            count++;
            lowest.add(found);
            if (lowest.size() > MAX_LISTED_BREAKS) {
                lowest.poll();
            }
        }

        void addAll(Found other) {
            other.lowest.forEach(this::add);
            count += other.count - other.lowest.size();
        }

        Long first() {
            return lowest.stream().map(Break::position).min(Long::compare).orElse(null);
        }

        List<Break> listed() {
            List<Break> listed = new ArrayList<>(lowest);
            listed.sort(Comparator.comparingLong(Break::position).thenComparing(Break::kind));
            return listed;
        }
    }

    /**
     * The events in position order against the checkpoints in number order and the recorded holes in position
     * order, one pass over each. Within a sealed range every position is an event or a recorded hole: a position
     * that is neither is an event deleted, a hole holding an event (not sealed late, older than the hole
     * retention) an event inserted, both found at their own position.
     */
    private static final class Walk {

        private final String tenantId;
        private final CheckpointSigner signer;
        private final Map<Long, Long> late;
        private final ResultSet checkpoints;
        private final ResultSet holes;
        private final Instant verifiedAt;
        private final MessageDigest digest = sha256();
        private final Map<Long, List<byte[]>> lateMembers = new HashMap<>();
        private final Found found = new Found();
        private long checked;
        private long highest;
        private long sealed;
        private long unsealed;
        private long pending;
        private long checkpointCount;
        private long unsigned;
        private boolean signedSeen;
        private byte[] previousDigest = ZERO;
        private long expectedId = 1;
        private long expectedStart = 0;
        private Checkpoint current;
        private Checkpoint last;
        /** The next position of the current range not yet accounted for. */
        private long next;
        private long members;
        private Long lowestMember;
        private boolean exactFound;
        private long holePosition = -1;
        private boolean holeOpen;
        private boolean holesDone;

        Walk(String tenantId, CheckpointSigner signer, Map<Long, Long> late, ResultSet checkpoints, ResultSet holes,
             Instant verifiedAt) throws SQLException {
            this.tenantId = tenantId;
            this.signer = signer;
            this.late = late;
            this.checkpoints = checkpoints;
            this.holes = holes;
            this.verifiedAt = verifiedAt;
            open();
        }

        void event(long position, byte[] chainHash) throws SQLException {
            checked++;
            highest = position;
            Long lateCheckpoint = late.get(position);
            if (lateCheckpoint != null) {
                lateMembers.computeIfAbsent(lateCheckpoint, k -> new ArrayList<>()).add(member(position, chainHash));
                sealed++;
                return;
            }
            while (current != null && position > current.upperPosition()) {
                close();
                open();
            }
            if (current == null) {
                unsealed++;
                return;
            }
            if (position <= current.rangeStart() || position < next) {
                found(position, Kind.INSERTED, null, "no checkpoint's range holds its position");
                return;
            }
            accountUpTo(position);
            next = position + 1;
            if (isHole(position)) {
                if (holeOpen) {
                    pending++;
                } else {
                    exact(position, Kind.INSERTED, "its position held no event when checkpoint " + current.id()
                            + " sealed it");
                }
                return;
            }
            digest.update(member(position, chainHash));
            members++;
            sealed++;
            if (lowestMember == null) {
                lowestMember = position;
            }
        }

        /** Closes the checkpoints left and reports the late events that follow none. */
        void end() throws SQLException {
            while (current != null) {
                close();
                open();
            }
            lateMembers.forEach((checkpoint, rows) -> rows.forEach(row -> found(ByteBuffer.wrap(row).getLong(),
                    Kind.INSERTED, checkpoint, "listed as a late event of checkpoint " + checkpoint
                            + ", which does not follow its position")));
        }

        /** The report of the walk's findings and the chain links' together. */
        Report report(Found links) {
            found.addAll(links);
            return new Report(found.count == 0, checked, found.first(), found.listed(), found.count, highest, sealed,
                    unsealed, pending, checkpointCount, last, signer.signs(), unsigned, verifiedAt);
        }

        /** Every position of the current range before {@code position} must be a recorded hole. */
        private void accountUpTo(long position) throws SQLException {
            for (long q = next; q < position; q++) {
                if (!isHole(q) && !late.containsKey(q)) {
                    exact(q, Kind.DELETED, "checkpoint " + current.id() + " sealed an event at this position");
                }
            }
        }

        /** Whether the position is a recorded hole; the hole cursor moves forward only. */
        private boolean isHole(long position) throws SQLException {
            while (!holesDone && holePosition < position) {
                if (holes.next()) {
                    holePosition = holes.getLong(1);
                    holeOpen = holes.getBoolean(2);
                } else {
                    holesDone = true;
                }
            }
            return !holesDone && holePosition == position;
        }

        /** Starts the next checkpoint: its digest begins with the previous digest, its header and its late events. */
        private void open() throws SQLException {
            current = checkpoints.next() ? checkpoint(checkpoints) : null;
            if (current == null) {
                return;
            }
            checkpointCount++;
            next = current.rangeStart() + 1;
            members = 0;
            lowestMember = null;
            exactFound = false;
            digest.reset();
            digest.update(previousDigest);
            digest.update(ByteBuffer.allocate(32).putLong(current.id()).putLong(current.rangeStart())
                    .putLong(current.upperPosition()).putLong(current.eventCount()).array());
            List<byte[]> lateOnes = lateMembers.remove(current.id());
            if (lateOnes != null) {
                for (byte[] row : lateOnes) {
                    digest.update(row);
                    members++;
                    long position = ByteBuffer.wrap(row).getLong();
                    lowestMember = lowestMember == null ? position : Math.min(lowestMember, position);
                }
            }
        }

        /** Compares the checkpoint with what was recomputed, checks its place and signature. */
        private void close() throws SQLException {
            Checkpoint c = current;
            accountUpTo(c.upperPosition() + 1);
            long where = c.firstPosition() != null ? c.firstPosition()
                    : lowestMember != null ? lowestMember : c.rangeStart() + 1;
            String range = "checkpoint " + c.id() + " (positions " + (c.rangeStart() + 1) + " to " + c.upperPosition()
                    + ")";
            if (c.id() != expectedId || c.rangeStart() != expectedStart) {
                found(where, Kind.CHECKPOINT, c.id(), range + " does not follow checkpoint " + (expectedId - 1)
                        + ": a checkpoint is missing or out of order");
            }
            byte[] recomputed = digest.digest();
            if (!exactFound) {
                if (members < c.eventCount()) {
                    found(c.lastPosition() != null ? Math.min(where, c.lastPosition()) : where, Kind.DELETED, c.id(),
                            range + " sealed " + c.eventCount() + " events, " + members + " remain");
                } else if (members > c.eventCount()) {
                    found(where, Kind.INSERTED, c.id(), range + " sealed " + c.eventCount() + " events, " + members
                            + " are there");
                } else if (!MessageDigest.isEqual(recomputed, c.digest())) {
                    found(where, Kind.ALTERED, c.id(), range + ": its events differ from what was sealed (changed"
                            + " together with their chain hashes, or replaced)");
                }
            }
            if (signer.signs()) {
                if (c.signature() == null) {
                    if (signedSeen) {
                        found(where, Kind.CHECKPOINT, c.id(), range + " is unsigned after signed checkpoints");
                    } else {
                        unsigned++;
                    }
                } else {
                    signedSeen = true;
                    if (!signer.verify(c.signedText(tenantId), c.signature())) {
                        found(where, Kind.CHECKPOINT, c.id(), range + " has a signature that is not the configured"
                                + " key's over its fields (key " + c.keyId() + ")");
                    }
                }
            } else if (c.signature() == null) {
                unsigned++;
            }
            previousDigest = c.digest();
            expectedId = c.id() + 1;
            expectedStart = c.upperPosition();
            last = c;
        }

        /** A break at a known position of the current checkpoint's range. */
        private void exact(long position, Kind kind, String detail) {
            exactFound = true;
            found(position, kind, current.id(), detail);
        }

        private void found(long position, Kind kind, Long checkpointId, String detail) {
            found.add(new Break(position, kind, checkpointId, detail));
        }
    }

    private static byte[] member(long position, byte[] chainHash) {
        byte[] hash = chainHash == null ? new byte[0] : chainHash;
        return ByteBuffer.allocate(8 + hash.length).putLong(position).put(hash).array();
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                (Long) rs.getObject(6), (Long) rs.getObject(7), rs.getBytes(8), rs.getBytes(9), rs.getString(10),
                rs.getObject(11, OffsetDateTime.class).toInstant());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
