package org.clinical.infra.kafka.publish;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.infra.eventstore.StoredEvent;
import org.clinical.infra.eventstore.TenantEventStores;
import org.clinical.infra.tenant.Tenant;
import org.clinical.projections.audit.AuditProjection;
import org.clinical.projections.readmodel.ReadModel;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher's read of the outbox against a real tenant store: positions taken by transactions that have not
 * committed (gaps, made here by taking positions from the store's sequence) are kept in the token and read once
 * they hold an event, and given up only by the gap timeout, as Axon's processors do.
 */
class OutboxReaderTest {

    private static final Instant T1 = Instant.parse("2025-03-01T08:15:00Z");
    /** Within the gap timeout of the events, which are stamped T1. */
    private static final Instant SOON = T1.plusSeconds(5);

    private ProjectionHarness store;
    private Tenant tenant;
    private JdbcTemplate jdbc;

    @BeforeEach
    void start() {
        // a tenant store with a read model beside it, as the harness makes them: the audit one, as it stands
        store = ProjectionHarness.start(new ReadModel(AuditProjection.NAME, "org/clinical/projections/audit/audit.sql",
                null), AuditProjection::new);
        store.at(T1);
        tenant = store.read().tenant();
        jdbc = store.region().jdbc();
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void reads_every_event_once_in_position_order_in_batches_from_the_first() {
        for (int i = 0; i < 7; i++) {
            store.append(registered());
        }
        List<Long> read = new ArrayList<>();
        GapAwareTrackingToken token = null;
        for (int batch = 0; batch < 4; batch++) {
            OutboxReader.Batch next = OutboxReader.after(jdbc, tenant, token, 3, SOON);
            next.events().forEach(e -> read.add(e.position()));
            token = next.token();
        }
        assertThat(read).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(token.getIndex()).isEqualTo(7);
        assertThat(token.getGaps()).isEmpty();
    }

    @Test
    void a_position_taken_by_a_transaction_not_yet_committed_is_kept_as_a_gap_and_its_event_read_when_it_commits() {
        store.append(registered());
        long gap = takePosition();
        store.append(registered());

        OutboxReader.Batch first = OutboxReader.after(jdbc, tenant, null, 100, SOON);
        assertThat(first.events()).extracting(StoredEvent::position).containsExactly(1L, 3L);
        assertThat(first.token().getIndex()).isEqualTo(3);
        assertThat(first.token().getGaps()).containsExactly(gap);

        store.append(registered());
        String late = commitAt(gap);
        OutboxReader.Batch second = OutboxReader.after(jdbc, tenant, first.token(), 100, SOON);
        assertThat(second.events()).extracting(StoredEvent::position).containsExactly(gap, 4L);
        assertThat(second.events().get(0).eventId()).isEqualTo(late);
        assertThat(second.token().getIndex()).isEqualTo(4);
        assertThat(second.token().getGaps()).isEmpty();

        assertThat(OutboxReader.after(jdbc, tenant, second.token(), 100, SOON).events()).isEmpty();
    }

    @Test
    void a_gap_is_given_up_once_an_event_after_it_is_older_than_the_gap_timeout() {
        store.append(registered());
        takePosition();
        store.append(registered());

        Instant later = T1.plus(TenantEventStores.GAP_TIMEOUT).plusSeconds(1);
        OutboxReader.Batch read = OutboxReader.after(jdbc, tenant, null, 100, later);
        assertThat(read.events()).extracting(StoredEvent::position).containsExactly(1L, 3L);
        assertThat(read.token().getGaps()).isEmpty();
    }

    @Test
    void past_the_cleaning_threshold_gaps_followed_by_events_older_than_the_gap_timeout_are_dropped_first() {
        store.append(registered());
        int gaps = TenantEventStores.GAP_CLEANING_THRESHOLD + 10;
        for (int i = 0; i < gaps; i++) {
            takePosition();
            store.append(registered());
        }
        OutboxReader.Batch read = OutboxReader.after(jdbc, tenant, null, 10_000, SOON);
        assertThat(read.token().getGaps()).hasSize(gaps);

        store.at(T1.plus(Duration.ofHours(1)));
        store.append(registered());
        Instant later = T1.plus(TenantEventStores.GAP_TIMEOUT).plusSeconds(1);
        OutboxReader.Batch after = OutboxReader.after(jdbc, tenant, read.token(), 10_000, later);
        assertThat(after.events()).extracting(StoredEvent::position).containsExactly(1L + 2L * gaps + 1);
        assertThat(after.token().getGaps()).isEmpty();
    }

    @Test
    void the_token_follows_axons_rules_event_by_event() {
        GapAwareTrackingToken token = OutboxReader.advance(null, 4, true);
        assertThat(token).isEqualTo(GapAwareTrackingToken.newInstance(4, new TreeSet<>(List.of(1L, 2L, 3L))));
        assertThat(OutboxReader.advance(null, 4, false).getGaps()).isEmpty();
        token = OutboxReader.advance(token, 7, true);
        assertThat(token.getGaps()).containsExactly(1L, 2L, 3L, 5L, 6L);
        token = OutboxReader.advance(token, 2, true);
        assertThat(token.getIndex()).isEqualTo(7);
        assertThat(token.getGaps()).containsExactly(1L, 3L, 5L, 6L);
        token = OutboxReader.advance(token, 8, false);
        assertThat(token.getGaps()).isEmpty();
        assertThat(token.getIndex()).isEqualTo(8);
    }

    /** Takes the next position as a transaction inserting an event would, without committing an event. */
    private long takePosition() {
        return jdbc.queryForObject("select nextval(pg_get_serial_sequence(?, 'global_index'))", Long.class,
                tenant.schema() + ".domain_event_entry");
    }

    /** An event committed late at the position its transaction had taken; answers its id. */
    private String commitAt(long position) {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into " + tenant.schema() + ".domain_event_entry (global_index, event_identifier,"
                + " aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload,"
                + " meta_data) values (?, ?, ?, 0, 'Patient', '2025-03-01T08:15:01.000000Z', 'PatientDeceased', '1',"
                + " convert_to('{}', 'UTF8'), convert_to('{\"actor\": \"late\"}', 'UTF8'))",
                position, id, UUID.randomUUID().toString());
        return id;
    }

    private static PatientRegistered registered() {
        PatientId patient = new PatientId(UUID.randomUUID());
        return new PatientRegistered(patient, new Mrn("MRN-" + patient), new HumanName("Lovelace", List.of("Ada")),
                null, Gender.FEMALE, List.of(), List.of(), null);
    }
}
