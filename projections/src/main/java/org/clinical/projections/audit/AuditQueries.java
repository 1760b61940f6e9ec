package org.clinical.projections.audit;

import org.clinical.infra.eventstore.StoredEvent;
import org.clinical.infra.region.ReadAhead;
import org.clinical.infra.region.ReadTransaction;
import org.clinical.projections.readmodel.Read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The reads of the event history: the tenant's stored events ({@code <tenant schema>.domain_event_entry}),
 * exactly as stored, in stream order; a patient's history through the "audit" read model's aggregates and
 * merges. Pages start after a position; a stream hands over every matching event
 * without holding them.
 */
public final class AuditQueries {

    /**
     * What {@link #events} keeps; each part null when not asked.
     *
     * @param from first recording time, inclusive
     * @param to   last recording time, inclusive
     * @param type the event's contract name
     */
    public record Filter(Instant from, Instant to, String type, String actor, String aggregateId) {
    }

    /** The stored time's text form: text order is time order. */
    static final DateTimeFormatter STORED_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final int FETCH_SIZE = 500;

    private static final String COLUMNS = StoredEvent.COLUMNS;
    private static final String META = StoredEvent.META;
    /**
     * The event at {@code a.position} of the store ({@code %1$s}) as {@code e}, for a row {@code a} of
     * {@code audit_event}: where {@code a.row_ref} says its row is (a TID scan, one heap page), when the row there
     * is the event of that position; else by the store's primary key (a table rewritten since, a row written
     * before {@code row_ref} existed). The union stops at its first row, so the second read happens only when
     * the first finds nothing. A lateral join: one read per position whatever the planner guesses of their number.
     */
    static final String EVENT_AT = """
            cross join lateral ((select * from %1$s.domain_event_entry x
                                 where x.ctid = a.row_ref and x.global_index = a.position)
                                union all
                                (select * from %1$s.domain_event_entry x where x.global_index = a.position)
                                limit 1) e
            """;
    private static final String KNOWN_PATIENT = """
            select exists (select 1 from {audit}.audit_subject where aggregate_id = ? and patient_id = ?)""";
    /**
     * The positions of the events about the patient and, transitively, every patient merged into it, after a
     * position, in order (a range of {@code audit_event}'s primary key per patient; {@code %2$s} a limit or
     * nothing); then each event read from the store ({@link #EVENT_AT}). The positions are an ordered subquery,
     * not a CTE: the planner knows the join keeps their order, so the rows stream out as they are read instead of
     * being sorted (on disk, for a long history) before the first one.
     */
    private static final String OF_PATIENT = """
            with recursive patients (patient_id) as (
                select ?::uuid
                union
                select g.merged_id from {audit}.patient_merge g join patients p on g.survivor_id = p.patient_id
            )
            """ + COLUMNS + """
            from (select a.position, a.row_ref from {audit}.audit_event a
                  where a.patient_id = any (array(select patient_id from patients)) and a.position > ?
                  order by a.position %2$s) a
            """ + EVENT_AT + """
            order by a.position
            """;
    /** Events per statement of a stream of the tenant's events: each statement short, whatever the stream's size. */
    static final int CHUNK = 5_000;
    /** The settings of a patient history's stream ({@link #stream}). */
    private static final List<String> STREAM_SETTINGS = List.of("jit = off", "max_parallel_workers_per_gather = 0");
    /** The name of a stream's reader thread ({@link ReadAhead}). */
    private static final String READER = "audit-stream-reader";

    private AuditQueries() {
    }

    /** The newest position of the tenant's stream, -1 before its first event. */
    public static long head(Read read) {
        Long head = read.jdbc().queryForObject("select max(global_index) from " + read.tenant().schema()
                + ".domain_event_entry", Long.class);
        return head == null ? -1 : head;
    }

    /** Those of the positions that hold a committed event now. */
    public static List<Long> committed(Read read, Collection<Long> positions) {
        if (positions.isEmpty()) {
            return List.of();
        }
        return read.jdbc().queryForList("select global_index from " + read.tenant().schema()
                        + ".domain_event_entry where global_index = any(?) order by global_index", Long.class,
                (Object) positions.toArray(Long[]::new));
    }

    /** Whether the patient was registered, as far as the read has seen. */
    public static boolean knownPatient(Read read, UUID patientId) {
        return Boolean.TRUE.equals(read.jdbc().queryForObject(read.sql(KNOWN_PATIENT), Boolean.class,
                patientId.toString(), patientId));
    }

    /** The tenant's events after {@code after} (a position; 0 from the first) kept by the filter, at most {@code limit}. */
    public static List<StoredEvent> events(Read read, Filter filter, long after, int limit) {
        Query query = events(read, filter, after).limit(limit);
        return read.jdbc().query(query.sql(), StoredEvent::row, query.args().toArray());
    }

    /**
     * Every event {@link #events} keeps after {@code after}, handed to {@code sink} one at a time: read by position
     * in statements of {@link #CHUNK} events (each walks the primary key from where the last stopped), all in one
     * read-only repeatable-read transaction, so the stream is one snapshot of the store however long it takes, and
     * no statement comes near the query timeout. The rows are read on a reader thread a few batches ahead of the
     * sink ({@link ReadAhead}).
     */
    public static void streamEvents(Read read, Filter filter, long after, Consumer<StoredEvent> sink) {
        streamEvents(read, filter, after, sink, CHUNK);
    }

    static void streamEvents(Read read, Filter filter, long after, Consumer<StoredEvent> sink, int chunk) {
        ReadAhead.run(READER, rows -> ReadTransaction.run(read.jdbc(), ReadTransaction.Mode.SNAPSHOT, con -> {
            long position = after;
            int handed;
            do {
                handed = 0;
                try (PreparedStatement statement = prepare(con, read, events(read, filter, position).limit(chunk));
                     ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        StoredEvent event = StoredEvent.row(rs, 0);
                        rows.accept(event);
                        position = event.position();
                        handed++;
                    }
                }
            } while (handed == chunk);
            return null;
        }), sink);
    }

    /**
     * The events of the patient, of its encounters and observations, and of every patient merged into it (and
     * theirs), in stream order, after {@code after}, at most {@code limit}.
     */
    public static List<StoredEvent> ofPatient(Read read, UUID patientId, long after, int limit) {
        String sql = read.sql(OF_PATIENT).formatted(read.tenant().schema(), "limit ?");
        return read.jdbc().query(sql, StoredEvent::row, patientId, after, limit);
    }

    /** Every event of the patient's history after {@code after}, handed to {@code sink} one at a time. */
    public static void streamOfPatient(Read read, UUID patientId, long after, Consumer<StoredEvent> sink) {
        stream(read, ofPatient(read, patientId, after), sink);
    }

    /** A SELECT with its arguments. */
    private record Query(String sql, List<Object> args) {

        Query limit(int limit) {
            List<Object> limited = new ArrayList<>(args);
            limited.add(limit);
            return new Query(sql + "\nlimit ?", limited);
        }
    }

    private static Query events(Read read, Filter filter, long after) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder(COLUMNS).append("from ").append(read.tenant().schema())
                .append(".domain_event_entry e\n").append(filter.actor() == null ? "" : META)
                .append("where e.global_index > ?");
        args.add(after);
        if (filter.from() != null) {
            sql.append(" and e.time_stamp >= ?");
            args.add(STORED_TIME.format(ceilMicros(filter.from())));
        }
        if (filter.to() != null) {
            sql.append(" and e.time_stamp <= ?");
            args.add(STORED_TIME.format(filter.to().truncatedTo(ChronoUnit.MICROS)));
        }
        if (filter.type() != null) {
            sql.append(" and e.payload_type = ?");
            args.add(filter.type());
        }
        if (filter.actor() != null) {
            sql.append(" and m.meta ->> 'actor' = ?");
            args.add(filter.actor());
        }
        if (filter.aggregateId() != null) {
            sql.append(" and e.aggregate_identifier = ?");
            args.add(filter.aggregateId());
        }
        return new Query(sql.append("\norder by e.global_index").toString(), args);
    }

    private static Query ofPatient(Read read, UUID patientId, long after) {
        return new Query(read.sql(OF_PATIENT).formatted(read.tenant().schema(), ""), List.of(patientId, after));
    }

    /**
     * Runs the query in a read-only transaction of its own, the only way PostgreSQL sends rows by the fetch size
     * instead of all at once; each round trip stays under the query pool's statement timeout. Without PostgreSQL's
     * JIT: a long history's estimate crosses its cost threshold, and compiling takes tens of milliseconds for a
     * walk of primary keys that compiled expressions do not speed up. Without a parallel worker: for a long history
     * the planner reads the positions with one and merges its sorted half with the leader's (a Gather Merge): 69 to
     * 78 ms in psql for 10,102 events, 58 to 62 ms without; the positions are a few index pages, which one process
     * reads in well under a millisecond. The rows are read on a reader thread a few batches ahead of the sink
     * ({@link ReadAhead}), so the next fetch runs while the last is being written.
     */
    private static void stream(Read read, Query query, Consumer<StoredEvent> sink) {
        ReadAhead.run(READER, rows -> ReadTransaction.run(read.jdbc(), ReadTransaction.Mode.STATEMENT,
                STREAM_SETTINGS, con -> {
                    try (PreparedStatement statement = prepare(con, read, query)) {
                        statement.setFetchSize(FETCH_SIZE);
                        try (ResultSet rs = statement.executeQuery()) {
                            while (rs.next()) {
                                rows.accept(StoredEvent.row(rs, 0));
                            }
                        }
                    }
                    return null;
                }), sink);
    }

    /** The query prepared with its arguments, under the query pool's statement timeout. */
    private static PreparedStatement prepare(Connection con, Read read, Query query) throws SQLException {
        PreparedStatement statement = con.prepareStatement(query.sql());
        try {
            statement.setQueryTimeout(read.jdbc().getQueryTimeout());
            for (int i = 0; i < query.args().size(); i++) {
                statement.setObject(i + 1, query.args().get(i));
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private static Instant ceilMicros(Instant time) {
        Instant micros = time.truncatedTo(ChronoUnit.MICROS);
        return micros.equals(time) ? micros : micros.plus(1, ChronoUnit.MICROS);
    }
}
