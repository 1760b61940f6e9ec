package org.clinical.projections.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.clinical.infra.region.ReadTransaction;
import org.clinical.projections.encounter.EncounterQueries.OpenEncounter;
import org.clinical.projections.observation.LatestVitalsQueries.VitalSign;
import org.clinical.projections.readmodel.Read;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A patient's chart as it was recorded at an instant, rebuilt from the tenant's stored events rather than from
 * today's read models: demographics and status, the open encounter and the latest vital sign per code, in the
 * live summary's shape (docs/read-models.md, "audit", "As of").
 *
 * <p><b>Recorded by T.</b> The stored {@code time_stamp} is the clock of the instance that made the event, read
 * before its transaction committed, and transactions may commit out of {@code global_index} order, so no cut by
 * position is right. An aggregate's events form a sequence, and event k+1 can only be made once event k has
 * committed (the command handler loads the aggregate first; a concurrent append of the same sequence number fails
 * on the unique index). So for each aggregate the answer takes the prefix of its events up to the last one stamped
 * at or before T: an earlier event stamped after T by a skewed clock still counts when a later event of the same
 * record was stamped by T. An event stamped by T whose transaction was still open at T counts as recorded (it was
 * in flight): the query side marks answers whose T is too recent for that to be settled.
 *
 * <p><b>Effective as of T'.</b> Optionally the chart shows what was clinically true at T', as recorded by T: the
 * encounter open at T' by its start, transfer and discharge times (cancelled encounters never were), the latest
 * vital signs with {@code effectiveAt <= T'} (their amendments and entries in error as recorded by T), the death
 * when {@code deceasedAt <= T'} and the merge when {@code mergedAt <= T'}. Demographics carry no clinical time:
 * they are the ones recorded by T.
 *
 * <p>Events are decoded as Axon decodes them for the projections: the tenant's serializer and upcaster chain, so
 * an old revision reads in its current form. They stream by a fetch size, ordered by aggregate and sequence, and
 * fold in one pass: memory holds the record being read, the best open encounter and one vital per code.
 */
@Component
public class PatientChartAsOf {

    /** The answer's parts, in the live summary's shape; JSON fields are those the read models hold. */
    public record Chart(UUID patientId, String mrn, String family, List<String> given, LocalDate birthDate,
                        String gender, boolean active, Instant deceasedAt, UUID mergedInto, JsonNode identifiers,
                        JsonNode telecom, JsonNode address, long version, OpenEncounter openEncounter,
                        List<VitalSign> latestVitals, long position, long events) {
    }

    private static final int FETCH_SIZE = 500;
    private static final byte[] NO_METADATA = "{}".getBytes(StandardCharsets.UTF_8);

    /**
     * The patient's own records (as the live summary: not those of patients merged into it), each record's events
     * up to the last one stamped by the instant, record after record: the patient's positions from
     * {@code audit_event} (a range of its primary key), each event read from the store by
     * {@link AuditQueries#EVENT_AT}, and per record the highest sequence stamped by the instant.
     */
    private static final String EVENTS = """
            select r.global_index, r.type, r.aggregate_identifier, r.sequence_number, r.event_identifier,
                   r.time_stamp, r.payload_type, r.payload_revision, r.payload
            from (select e.*, max(case when e.time_stamp <= ? then e.sequence_number end)
                                  over (partition by e.aggregate_identifier) as last
                  from {audit}.audit_event a
            """ + AuditQueries.EVENT_AT + """
                  where a.patient_id = ?) r
            where r.sequence_number <= r.last
            order by r.aggregate_identifier, r.sequence_number""";
    /**
     * For its own transaction only: room to sort a large chart's events in memory, and no JIT (a long chart's
     * estimate crosses PostgreSQL's JIT threshold, and compiling costs tens of milliseconds for a walk of primary
     * keys that compiled expressions do not speed up).
     */
    private static final List<String> READ_SETTINGS = List.of("work_mem = '64MB'", "jit = off");

    private final Serializer serializer;
    private final EventUpcasterChain upcasters;

    public PatientChartAsOf(Serializer serializer, EventUpcasterChain upcasters) {
        this.serializer = serializer;
        this.upcasters = upcasters;
    }

    /**
     * The chart recorded by {@code asOf}, clinically as of {@code effectiveAsOf} when not null; empty when no event
     * of the patient was recorded by then. The {@link Read} must use the {@code audit} projection.
     */
    public Optional<Chart> chart(Read read, UUID patientId, Instant asOf, Instant effectiveAsOf) {
        String recordedBy = AuditQueries.STORED_TIME.format(asOf.truncatedTo(ChronoUnit.MICROS));
        String sql = read.sql(EVENTS).formatted(read.tenant().schema());
        ChartFold fold = new ChartFold(patientId, effectiveAsOf);
        ReadTransaction.run(read.jdbc(), ReadTransaction.Mode.STATEMENT, READ_SETTINGS, con -> {
            try (PreparedStatement statement = con.prepareStatement(sql)) {
                statement.setFetchSize(FETCH_SIZE);
                statement.setQueryTimeout(read.jdbc().getQueryTimeout());
                statement.setString(1, recordedBy);
                statement.setObject(2, patientId);
                try (ResultSet rs = statement.executeQuery();
                     Stream<? extends EventMessage<?>> events = EventUtils.upcastAndDeserializeTrackedEvents(
                             rows(rs), serializer, upcasters)) {
                    // the token is made by rows() from the event's own global_index (not a processor's
                    // gap-aware token, whose position is the highest read so far): it is the event's position
                    events.forEach(event -> fold.accept((DomainEventMessage<?>) event,
                            ((TrackedEventMessage<?>) event).trackingToken().position().orElseThrow()));
                }
            }
            return null;
        });
        return fold.result();
    }

    /** The rows as Axon's stored form, read one by one as the stream is consumed. */
    private static Stream<TrackedEventData<?>> rows(ResultSet rs) {
        Iterator<TrackedEventData<?>> iterator = new Iterator<>() {
            private Boolean ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    try {
                        ahead = rs.next();
                    } catch (SQLException e) {
                        throw new IllegalStateException("reading the stored events failed", e);
                    }
                }
                return ahead;
            }

            @Override
            public TrackedEventData<?> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ahead = null;
                try {
                    return new TrackedDomainEventData<>(new GlobalSequenceTrackingToken(rs.getLong(1)),
                            new GenericDomainEventEntry<>(rs.getString(2), rs.getString(3), rs.getLong(4),
                                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                    rs.getBytes(9), NO_METADATA));
                } catch (SQLException e) {
                    throw new IllegalStateException("reading the stored events failed", e);
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false);
    }
}
