package org.clinical.projections.deadletter;

import org.clinical.infra.processing.DeadLetterQueues;
import org.clinical.infra.processing.TenantProcessors;
import org.clinical.infra.region.Regions;
import org.clinical.infra.tenant.Tenant;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead letters of a tenant's projections, as an operator sees them: counted per projection, listed in
 * stream order (by position) with their PHI-free cause and retry count, and retried (every sequence, or one
 * aggregate's) through {@link TenantProcessors#retryDeadLetters}. A rebuild keeps letters of its own (group
 * {@code <name>-rebuild}); {@link #handOver} makes them the projection's when the rebuilt generation goes live.
 */
public class DeadLetters {

    private static final String POSITION =
            "(convert_from(token, 'UTF8')::jsonb->>'index')::bigint";

    private final TenantProcessors processors;
    private final Regions regions;
    private final List<String> projections;

    public DeadLetters(TenantProcessors processors, Regions regions, List<String> projections) {
        this.processors = processors;
        this.regions = regions;
        this.projections = List.copyOf(projections);
    }

    /** The projections (processing groups) that may hold letters. */
    public List<String> projections() {
        return projections;
    }

    /**
     * @param sequence       the aggregate whose events wait behind one another
     * @param sequenceIndex  the letter's place in that sequence's queue
     * @param position       the event's position in the tenant's stream
     * @param aggregateSequence the event's sequence number in its aggregate
     * @param causeType      the exception class of the failure; {@code causeMessage} holds no PHI
     * @param retries        how many retries of the letter failed
     */
    public record Letter(String id, String sequence, long sequenceIndex, Long position, String eventId,
                         String type, Long aggregateSequence, String causeType, String causeMessage,
                         String enqueuedAt, String lastTouched, long retries) {
    }

    /** Letters per projection (processing group); projections without letters are absent. */
    public Map<String, Long> counts(Tenant tenant) {
        Map<String, Long> counts = new HashMap<>();
        jdbc(tenant).query("select processing_group, count(*) from " + DeadLetterQueues.table(tenant)
                + " group by processing_group", rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /** Up to {@code limit} letters of the projection after the one at {@code (afterPosition, afterId)}. */
    public List<Letter> list(Tenant tenant, String projection, long afterPosition, String afterId, int limit) {
        return jdbc(tenant).query("select * from (select dead_letter_id, sequence_identifier, sequence_index, "
                        + POSITION + " as position, event_identifier, payload_type, sequence_number, cause_type,"
                        + " cause_message, enqueued_at, last_touched,"
                        + " coalesce((convert_from(diagnostics, 'UTF8')::jsonb->>'retries')::bigint, 0) as retries"
                        + " from " + DeadLetterQueues.table(tenant) + " where processing_group = ?) l"
                        + " where (coalesce(position, -1), dead_letter_id) > (?, ?)"
                        + " order by coalesce(position, -1), dead_letter_id limit ?",
                (rs, i) -> new Letter(rs.getString("dead_letter_id"), rs.getString("sequence_identifier"),
                        rs.getLong("sequence_index"), (Long) rs.getObject("position"),
                        rs.getString("event_identifier"), rs.getString("payload_type"),
                        (Long) rs.getObject("sequence_number"), rs.getString("cause_type"),
                        rs.getString("cause_message"), rs.getString("enqueued_at"), rs.getString("last_touched"),
                        rs.getLong("retries")),
                projection, afterPosition, afterId, limit);
    }

    /**
     * Retries the projection's letters: one sequence, or every sequence in the order of its first letter. A
     * letter holds a copy of its event as it was read; first the copies take the event store's current form,
     * so an event corrected there (by an operator, as superuser) is retried as corrected: in the same revision,
     * or in any revision for a letter kept in its stored form (its upcaster had failed). Answers how many
     * sequences were retried and how many of them were applied entirely.
     */
    public Retried retry(Tenant tenant, String projection, String sequence) {
        jdbc(tenant).update("update " + DeadLetterQueues.table(tenant) + " l set payload = e.payload,"
                + " payload_type = e.payload_type, payload_revision = e.payload_revision, meta_data = e.meta_data"
                + " from " + tenant.schema() + ".domain_event_entry e"
                + " where l.processing_group = ? and e.event_identifier = l.event_identifier"
                + " and (e.payload_type = l.payload_type and e.payload_revision is not distinct from l.payload_revision"
                + " or (convert_from(l.diagnostics, 'UTF8')::jsonb->>'storedForm') = 'true')"
                + " and (e.payload <> l.payload or e.meta_data is distinct from l.meta_data"
                + " or e.payload_revision is distinct from l.payload_revision)", projection);
        List<String> sequences = sequence != null ? List.of(sequence) : jdbc(tenant).queryForList(
                "select sequence_identifier from " + DeadLetterQueues.table(tenant) + " where processing_group = ?"
                        + " group by sequence_identifier order by min(" + POSITION + ")", String.class, projection);
        return new Retried(sequences.size(), processors.retryDeadLetters(projection, tenant.id(), sequences));
    }

    public record Retried(int sequences, int applied) {
    }

    public long count(Tenant tenant, String projection) {
        Long count = jdbc(tenant).queryForObject("select count(*) from " + DeadLetterQueues.table(tenant)
                + " where processing_group = ?", Long.class, projection);
        return count == null ? 0 : count;
    }

    /**
     * In the transaction that makes a rebuilt generation live: the live generation's letters go, and the
     * rebuild's letters ({@code rebuildGroup}), met while filling the new generation, become the projection's.
     */
    public void handOver(Tenant tenant, String projection, String rebuildGroup) {
        JdbcTemplate jdbc = jdbc(tenant);
        jdbc.update("delete from " + DeadLetterQueues.table(tenant) + " where processing_group = ?", projection);
        jdbc.update("update " + DeadLetterQueues.table(tenant) + " set processing_group = ?, processing_started = null"
                + " where processing_group = ?", projection, rebuildGroup);
    }

    /** Letters of a rebuild that will not be switched to (a new rebuild starts from the first event). */
    public void discard(Tenant tenant, String rebuildGroup) {
        jdbc(tenant).update("delete from " + DeadLetterQueues.table(tenant) + " where processing_group = ?",
                rebuildGroup);
    }

    private JdbcTemplate jdbc(Tenant tenant) {
        return regions.region(tenant.region()).jdbc();
    }
}
