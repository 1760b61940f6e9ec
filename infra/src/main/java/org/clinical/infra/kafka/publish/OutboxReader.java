package org.clinical.infra.kafka.publish;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.clinical.infra.eventstore.StoredEvent;
import org.clinical.infra.eventstore.TenantEventStores;
import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The publisher's read of a tenant's event store (the outbox): the stored rows after a gap-aware token, in
 * position order, one query per batch, never deserialized, and the token after them.
 * <p>
 * A position is taken when an event is inserted, so a position below the newest one can still be empty and hold
 * an event later, when its transaction commits (a gap). The token keeps such gaps below its index; each read also
 * takes the events that filled them. The token and its rules are those of Axon's {@code JdbcEventStorageEngine},
 * with the tenant stores' settings ({@link TenantEventStores}): the same {@link GapAwareTrackingToken}, advanced
 * event by event with the same maximum gap offset; gaps below an event older than the gap timeout are given up;
 * past {@link TenantEventStores#GAP_CLEANING_THRESHOLD} gaps, those followed by an event older than the gap timeout
 * are dropped first. So the token in {@code token_entry} reads like the projections' tokens.
 * <p>
 * Why not the processors' stream: it hands out Axon messages, and a record needs the stored row itself (payload
 * text, metadata fields). Reading both meant a second query per batch, by event id: two reads of every row, and
 * a lookup of thousands of ids whose plan PostgreSQL may turn into a scan of the whole table.
 */
final class OutboxReader {

    /** Rows the gap cleaning looks at per read, at most: it goes on at the next read where it stopped. */
    private static final int GAP_CLEANING_ROWS = 1_000;

    /** The events read, and the token after the last of them (the token read from when there is none). */
    record Batch(List<StoredEvent> events, GapAwareTrackingToken token) {
    }

    private OutboxReader() {
    }

    /** The events after {@code token} (null: from the first) and those that filled its gaps, at most {@code limit}. */
    static Batch after(JdbcTemplate jdbc, Tenant tenant, GapAwareTrackingToken token, int limit, Instant now) {
        Instant frame = now.minus(TenantEventStores.GAP_TIMEOUT);
        GapAwareTrackingToken from = token != null && token.getGaps().size() > TenantEventStores.GAP_CLEANING_THRESHOLD
                ? cleanGaps(jdbc, tenant, token, frame) : token;
        String table = tenant.schema() + ".domain_event_entry e\n";
        long index = from == null ? 0 : from.getIndex();
        Long[] gaps = from == null ? new Long[0] : from.getGaps().toArray(Long[]::new);
        // primary-key reads only: each gap looked up by itself (the lateral read, kept apart by "offset 0"; as
        // "global_index = any(?)" PostgreSQL planned it as a scan of the whole table, once its plan was generic
        // or its statistics were those of a small table), then the next events in position order
        List<StoredEvent> events = jdbc.query("select * from ((" + StoredEvent.COLUMNS
                        + "from unnest(?::bigint[]) g (position)\ncross join lateral (select * from " + tenant.schema()
                        + ".domain_event_entry x where x.global_index = g.position offset 0) e\n"
                        + ")\nunion all\n(" + StoredEvent.COLUMNS
                        + "from " + table + "where e.global_index > ? order by e.global_index"
                        + " limit ?)) x order by 1 limit ?", StoredEvent::row,
                gaps, index, limit, limit);
        GapAwareTrackingToken next = from;
        for (StoredEvent event : events) {
            next = advance(next, event.position(), Instant.parse(event.recordedAt()).isAfter(frame));
        }
        return new Batch(events, next);
    }

    /** As {@code JdbcEventStorageEngine.getTrackedEventData}: the token after the event at {@code position}. */
    static GapAwareTrackingToken advance(GapAwareTrackingToken token, long position, boolean allowGaps) {
        if (token == null) {
            SortedSet<Long> gaps = allowGaps
                    ? LongStream.range(Math.min(1, position), position).boxed()
                    .collect(Collectors.toCollection(TreeSet::new))
                    : Collections.emptySortedSet();
            return GapAwareTrackingToken.newInstance(position, gaps);
        }
        GapAwareTrackingToken advanced = token.advanceTo(position, TenantEventStores.MAX_GAP_OFFSET);
        return allowGaps ? advanced : advanced.withGapsTruncatedAt(position);
    }

    /**
     * As {@code JdbcEventStorageEngine.cleanGaps}: walks the events from the first gap up, and drops each gap whose
     * next event is older than the gap timeout, until a gap still open or an event within the timeout.
     */
    private static GapAwareTrackingToken cleanGaps(JdbcTemplate jdbc, Tenant tenant, GapAwareTrackingToken token,
                                                   Instant frame) {
        SortedSet<Long> gaps = token.getGaps();
        List<Object[]> rows = jdbc.query("select global_index, time_stamp from " + tenant.schema()
                        + ".domain_event_entry where global_index >= ? and global_index <= ? order by global_index"
                        + " limit ?", (rs, i) -> new Object[]{rs.getLong(1), rs.getString(2)},
                gaps.first(), gaps.last() + 1, GAP_CLEANING_ROWS);
        GapAwareTrackingToken clean = token;
        for (Object[] row : rows) {
            long position = (Long) row[0];
            if (gaps.contains(position) || Instant.parse((String) row[1]).isAfter(frame)) {
                break;
            }
            if (gaps.contains(position - 1)) {
                clean = clean.withGapsTruncatedAt(position);
            }
        }
        return clean;
    }
}
