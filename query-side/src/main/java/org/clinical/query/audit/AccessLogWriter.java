package org.clinical.query.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit of one region's access-log entries, led by the reads themselves: a read queues its entries
 * (bounded), and if fewer than {@code writers} commits are running it leads one: on its own thread it takes
 * everything queued (up to a batch; its own entries among it unless a batch or more waits ahead), and inserts it
 * in one statement (one array per column, unnested) on an auto-committing connection of this writer's pool,
 * which returns once it is committed ({@code synchronous_commit} is set on for these connections). A read that
 * finds every commit slot busy waits on its future, which the commit that takes its entries completes. So the
 * usual read costs one round trip to PostgreSQL and no handoff between threads; under load a batch is whatever
 * arrived while the previous commit ran, with no artificial delay.
 * <p>
 * No wake-up is lost: a leader gives its slot back before it looks at the queue, and when entries are waiting it
 * wakes the writer's one background thread, which leads the next commit if a slot is free (else the commit
 * holding the slot looks again when it ends). The thread also looks every 100 ms. A read that gives up (its
 * future completed exceptionally) withdraws its entries if no commit has taken them yet.
 *
 * <p>A missing month partition is created on the spot and the batch written again, so no entry is lost to the
 * partition job being late. A batch refused for its data is written again entry by entry, so one bad entry fails
 * only its own read. A failure never retries beyond that: the reads waiting answer 503.
 */
public class AccessLogWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
    /**
     * A whole batch in one statement: one array per column, unnested into rows (the roles of each entry as an
     * array literal), so a batch of any size is one Bind and one Execute of one server-prepared statement.
     */
    private static final String INSERT = """
            insert into clinical_platform.access_log (read_at, tenant_id, patient_id, actor, roles, endpoint,
                                                      correlation_id, purpose_of_use)
            select r.read_at::timestamptz, r.tenant_id, r.patient_id, r.actor, r.roles::text[], r.endpoint,
                   r.correlation_id, r.purpose_of_use
            from unnest(?::text[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 as r (read_at, tenant_id, patient_id, actor, roles, endpoint, correlation_id, purpose_of_use)""";
    /** PostgreSQL's "no partition of relation found for row". */
    private static final String NO_PARTITION = "23514";

    private final String region;
    private final HikariDataSource pool;
    private final BlockingQueue<Pending> queue;
    private final int batchSize;
    /** One permit per commit that may run at once ({@code writers}), each on a connection of its own. */
    private final Semaphore slots;
    private final int slotCount;
    private final Thread sweeper;
    private final long sweepEveryNanos;
    private final DistributionSummary batches;
    private volatile boolean stopping;

    /** One read's entries and the future its request waits on. */
    private record Pending(List<AccessEntry> entries, CompletableFuture<Void> durable) {
    }

    /**
     * @param regionPool the region's command pool: its database, user and driver settings are reused, on a pool
     *                   of this writer's own
     */
    public AccessLogWriter(String region, HikariDataSource regionPool, AccessLogProperties properties,
                           MeterRegistry meters) {
        this(region, regionPool, properties, meters, Duration.ofMillis(100));
    }

    /**
     * @param sweepEvery how often the background thread looks at the queue without being woken: a safety net
     *                   only (tests make it an hour, to show that no entry waits for it)
     */
    public AccessLogWriter(String region, HikariDataSource regionPool, AccessLogProperties properties,
                           MeterRegistry meters, Duration sweepEvery) {
        this.region = region;
        this.sweepEveryNanos = sweepEvery.toNanos();
        this.pool = pool(region, regionPool, properties);
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.batchSize = properties.batchSize();
        this.batches = DistributionSummary.builder("clinical.access_log.batch.entries")
                .description("entries committed together by one access-log writer").tag("region", region)
                .register(meters);
        Gauge.builder("clinical.access_log.queue", queue, BlockingQueue::size)
                .description("reads waiting for their access-log entries to be written").tag("region", region)
                .register(meters);
        this.slotCount = properties.writers();
        this.slots = new Semaphore(slotCount);
        this.sweeper = new Thread(this::sweep, "access-log-" + region);
        sweeper.setDaemon(true);
        sweeper.start();
    }

    /**
     * Queues the entries and, when a commit slot is free, commits them on the calling thread (with whatever else
     * is queued) before it returns; the future completes once they are committed, or exceptionally when they
     * cannot be (at once when the queue is full). Completing it exceptionally first (a request that gave up)
     * withdraws them, unless a commit already took them.
     */
    public CompletableFuture<Void> submit(List<AccessEntry> entries) {
        Pending pending = new Pending(List.copyOf(entries), new CompletableFuture<>());
        if (stopping || !queue.offer(pending)) {
            pending.durable().completeExceptionally(new AccessLogUnavailableException(
                    "the access log of region " + region + " takes no more entries now", null));
            return pending.durable();
        }
        if (stopping && queue.remove(pending)) {
            // close() began after the check above and may have drained the queue already: nobody would take it
            pending.durable().completeExceptionally(new AccessLogUnavailableException("the platform is stopping",
                    null));
            return pending.durable();
        }
        if (slots.tryAcquire()) {
            lead();
        }
        return pending.durable();
    }

    /**
     * Commits one batch of what is queued, holding a slot; gives the slot back, then hands on what is left. The
     * calling thread's interrupt status is set aside meanwhile: an interrupted read must not fail the others' entries
     * it took (the pool refuses a connection to an interrupted thread).
     */
    private void lead() {
        List<Pending> batch = new ArrayList<>();
        boolean interrupted = Thread.interrupted();
        try {
            Pending next;
            int entries = 0;
            while (entries < batchSize && (next = queue.poll()) != null) {
                batch.add(next);
                entries += next.entries().size();
            }
            write(batch);
        } catch (Throwable e) {
            // an Error (out of memory): the reads it took answer 503 now rather than at their max-wait
            batch.forEach(p -> p.durable().completeExceptionally(e));
            throw e;
        } finally {
            slots.release();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        // after the release: a read that queued meanwhile and found no slot is seen here
        if (!queue.isEmpty()) {
            LockSupport.unpark(sweeper);
        }
    }

    /** The background thread: leads a commit for what is queued whenever a slot is free. */
    private void sweep() {
        while (true) {
            while (!queue.isEmpty() && slots.tryAcquire()) {
                try {
                    lead();
                } catch (Throwable e) {
                    log.error("The access-log thread of region {} failed a commit: {}", region,
                            e.getClass().getName());
                }
            }
            if (stopping && queue.isEmpty()) {
                return;
            }
            LockSupport.parkNanos(this, sweepEveryNanos);
        }
    }

    private void write(List<Pending> batch) {
        List<Pending> live = batch.stream().filter(p -> !p.durable().isDone()).toList();
        if (live.isEmpty()) {
            return;
        }
        try {
            insert(live);
            live.forEach(p -> p.durable().complete(null));
        } catch (SQLException e) {
            if (live.size() > 1 && !connectionLost(e)) {
                live.forEach(p -> write(List.of(p)));
                return;
            }
            log.warn("Access-log entries of {} read(s) in region {} could not be written: SQLState {}", live.size(),
                    region, sqlState(e));
            AccessLogUnavailableException failure = new AccessLogUnavailableException("access log write failed", e);
            live.forEach(p -> p.durable().completeExceptionally(failure));
        } catch (RuntimeException e) {
            live.forEach(p -> p.durable().completeExceptionally(e));
        }
    }

    /** Inserts and commits the entries; creates a missing month partition and inserts again. */
    private void insert(List<Pending> pendings) throws SQLException {
        try {
            commit(pendings);
        } catch (SQLException e) {
            if (!NO_PARTITION.equals(sqlState(e))) {
                throw e;
            }
            createPartitions(pendings);
            commit(pendings);
        }
    }

    /**
     * One statement on an auto-committing connection: PostgreSQL commits it (waiting for the WAL flush) before it
     * answers, so the batch costs one round trip, and it is written whole or not at all.
     */
    private void commit(List<Pending> pendings) throws SQLException {
        int rows = pendings.stream().mapToInt(p -> p.entries().size()).sum();
        String[] readAt = new String[rows];
        String[] tenant = new String[rows];
        UUID[] patient = new UUID[rows];
        String[] actor = new String[rows];
        String[] roles = new String[rows];
        String[] endpoint = new String[rows];
        String[] correlation = new String[rows];
        String[] purpose = new String[rows];
        int i = 0;
        for (Pending pending : pendings) {
            for (AccessEntry e : pending.entries()) {
                readAt[i] = e.readAt().toString();
                tenant[i] = e.tenantId();
                patient[i] = e.patientId();
                actor[i] = text(e.actor());
                roles[i] = arrayLiteral(e.roles());
                endpoint[i] = e.endpoint();
                correlation[i] = e.correlationId();
                purpose[i] = e.purposeOfUse();
                i++;
            }
        }
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setArray(1, c.createArrayOf("text", readAt));
            ps.setArray(2, c.createArrayOf("text", tenant));
            ps.setArray(3, c.createArrayOf("uuid", patient));
            ps.setArray(4, c.createArrayOf("text", actor));
            ps.setArray(5, c.createArrayOf("text", roles));
            ps.setArray(6, c.createArrayOf("text", endpoint));
            ps.setArray(7, c.createArrayOf("text", correlation));
            ps.setArray(8, c.createArrayOf("text", purpose));
            ps.executeUpdate();
        }
        batches.record(rows);
    }

    /** The roles as a PostgreSQL array literal, each quoted, so any text stays one element (a null one NULL). */
    static String arrayLiteral(Collection<?> values) {
        StringBuilder literal = new StringBuilder("{");
        for (Object value : values) {
            if (literal.length() > 1) {
                literal.append(',');
            }
            if (value == null) {
                literal.append("NULL");
                continue;
            }
            literal.append('"').append(text(value).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }

    private void createPartitions(List<Pending> pendings) throws SQLException {
        Set<Instant> months = new TreeSet<>();
        pendings.forEach(p -> p.entries().forEach(e -> months.add(e.readAt().atOffset(ZoneOffset.UTC)
                .withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant())));
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement("select clinical_platform.access_log_partition(?)")) {
            for (Instant month : months) {
                ps.setTimestamp(1, Timestamp.from(month));
                ps.execute();
            }
        }
    }

    /** PostgreSQL text holds no NUL: a token's claim with one is kept, the NUL shown as U+FFFD. */
    private static String text(Object value) {
        return value == null ? null : value.toString().replace('\u0000', '\uFFFD');
    }

    private static boolean connectionLost(SQLException e) {
        String state = sqlState(e);
        return state == null || state.startsWith("08") || state.startsWith("57");
    }

    /** The SQLState of the failure or of the first chained exception that has one (a batch's). */
    static String sqlState(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x.getSQLState() != null) {
                return x.getSQLState();
            }
        }
        return null;
    }

    private static HikariDataSource pool(String region, HikariDataSource regionPool, AccessLogProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("access-log-" + region);
        config.setJdbcUrl(regionPool.getJdbcUrl());
        config.setUsername(regionPool.getUsername());
        config.setPassword(regionPool.getPassword());
        config.setDataSourceProperties(regionPool.getDataSourceProperties());
        // A connection gone silent (no answer, no reset) would hold a leading read past any statement_timeout: the
        // driver gives up on a read from the socket after this many seconds.
        config.addDataSourceProperty("socketTimeout", String.valueOf(properties.maxWait().toSeconds() + 2));
        config.setMaximumPoolSize(properties.writers() + 1);
        config.setMinimumIdle(properties.writers());
        config.setAutoCommit(true);
        config.setConnectionTimeout(Math.max(250, properties.maxWait().toMillis()));
        // Durability is what these connections are for: never let a database default turn it off.
        // A read that leads a commit waits for it on its own thread: the statement gives up at max-wait, as the
        // reads waiting on a future do.
        config.setConnectionInitSql("set synchronous_commit = on; set statement_timeout = '"
                + Math.max(100, properties.maxWait().toMillis()) + "ms'; set lock_timeout = '"
                + Math.max(1, properties.maxWait().toSeconds()) + "s'");
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    /** Stops taking entries, writes what is queued, waits for the commits running, then closes the connections. */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(sweeper);
        try {
            sweeper.join(10_000);
            if (!slots.tryAcquire(slotCount, 10, TimeUnit.SECONDS)) {
                log.warn("Access-log commits of region {} still running at close", region);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.durable().completeExceptionally(new AccessLogUnavailableException("the platform is stopping", null));
        }
        pool.close();
    }
}
