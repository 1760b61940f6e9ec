package org.clinical.projections.audit;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.ObservationValue.Quantity;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.audit.AuditQueries.Filter;
import org.clinical.infra.eventstore.StoredEvent;
import org.clinical.projections.support.ProjectionHarness;
import org.clinical.projections.support.ProjectionHarness.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.clinical.projections.support.ReadModelSql.json;

/**
 * The "audit" read model as its projection writes it, and the event history {@link AuditQueries} reads from the
 * tenant's event store through it (docs/read-models.md).
 */
class AuditQueriesTest {

    private static final Instant T1 = Instant.parse("2025-03-01T08:15:00Z");
    private static final Instant T2 = Instant.parse("2025-03-01T09:00:00.123456Z");
    private static final Instant T3 = Instant.parse("2025-03-02T10:00:00Z");
    private static final Filter ALL = new Filter(null, null, null, null, null);

    private ProjectionHarness audit;

    @BeforeEach
    void start() {
        audit = ProjectionHarness.start(AuditProjection.READ_MODEL, AuditProjection::new);
        audit.at(T1);
    }

    @AfterEach
    void stop() {
        audit.close();
    }

    @Test
    void encounters_and_observations_map_to_their_patient_and_merges_are_kept() {
        PatientId patient = patient();
        PatientId merged = patient();
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        ObservationId observation = new ObservationId(UUID.randomUUID());

        audit.apply(registered(patient), registered(merged), started(encounter, patient),
                recorded(observation, patient, encounter), new PatientMerged(merged, patient, T1));

        assertThat(audit.rows("select aggregate_id, patient_id from {s}.audit_subject order by aggregate_id"))
                .containsExactlyInAnyOrder(
                        Map.of("aggregate_id", patient.toString(), "patient_id", patient.value()),
                        Map.of("aggregate_id", merged.toString(), "patient_id", merged.value()),
                        Map.of("aggregate_id", encounter.toString(), "patient_id", patient.value()),
                        Map.of("aggregate_id", observation.toString(), "patient_id", patient.value()));
        assertThat(audit.rows("select merged_id, survivor_id from {s}.patient_merge"))
                .containsExactly(Map.of("merged_id", merged.value(), "survivor_id", patient.value()));
        assertThat(audit.toldChanged()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void the_same_batch_handled_twice_changes_no_row(Mode mode) {
        PatientId patient = patient();
        PatientId merged = patient();
        List<TrackedEventMessage<?>> batch = audit.append(registered(patient), registered(merged),
                started(new EncounterId(UUID.randomUUID()), patient), new PatientMerged(merged, patient, T1));
        audit.handle(mode, batch);
        Map<String, List<String>> once = audit.tables("audit_subject", "patient_merge");

        audit.handle(mode, batch);

        assertThat(audit.tables("audit_subject", "patient_merge")).isEqualTo(once);
        assertThat(once.get("audit_subject")).hasSize(3);
    }

    @Test
    void an_event_is_answered_as_stored_with_its_metadata_and_payload() {
        PatientId patient = patient();
        audit.at(T2);
        long position = audit.apply(registered(patient)).get(0).trackingToken().position().orElseThrow();

        StoredEvent event = AuditQueries.events(audit.read(), ALL, 0, 10).get(0);

        assertThat(event.position()).isEqualTo(position);
        assertThat(event.type()).isEqualTo("PatientRegistered");
        assertThat(event.revision()).isEqualTo("2");
        assertThat(event.aggregateType()).isEqualTo("Patient");
        assertThat(event.aggregateId()).isEqualTo(patient.toString());
        assertThat(event.sequence()).isZero();
        assertThat(event.recordedAt()).isEqualTo("2025-03-01T09:00:00.123456Z");
        assertThat(event.actor()).isEqualTo("projection-test");
        assertThat(event.correlationId()).isNotBlank();
        assertThat(event.causationId()).isNotBlank();
        assertThat(event.eventId()).isEqualTo(audit.value(
                "select event_identifier from " + audit.read().tenant().schema()
                        + ".domain_event_entry where global_index = ?", String.class, position));
        assertThat(json(event.payload().getValue()).get("mrn").asText()).isEqualTo("MRN-" + patient);
        assertThat(json(event.payload().getValue()).get("patientId").asText()).isEqualTo(patient.toString());
    }

    @Test
    void the_stream_is_filtered_by_time_type_actor_and_aggregate_and_paged_after_a_position() {
        PatientId first = patient();
        PatientId second = patient();
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        audit.apply(registered(first));
        audit.at(T2).apply(registered(second));
        audit.at(T3).apply(started(encounter, first));

        assertThat(types(AuditQueries.events(audit.read(), ALL, 0, 10)))
                .containsExactly("PatientRegistered", "PatientRegistered", "EncounterStarted");
        assertThat(aggregates(AuditQueries.events(audit.read(), new Filter(null, null, "PatientRegistered", null,
                null), 0, 10))).containsExactly(first.toString(), second.toString());
        assertThat(aggregates(AuditQueries.events(audit.read(), new Filter(T2, T2, null, null, null), 0, 10)))
                .as("from and to are inclusive, at the stored microsecond").containsExactly(second.toString());
        assertThat(aggregates(AuditQueries.events(audit.read(),
                new Filter(T2.plusNanos(1), null, null, null, null), 0, 10)))
                .containsExactly(encounter.toString());
        assertThat(aggregates(AuditQueries.events(audit.read(), new Filter(T2, T2.plusNanos(999), null, null, null),
                0, 10))).containsExactly(second.toString());
        assertThat(types(AuditQueries.events(audit.read(), new Filter(null, null, null, null, encounter.toString()),
                0, 10))).containsExactly("EncounterStarted");
        assertThat(AuditQueries.events(audit.read(), new Filter(null, null, null, "projection-test", null), 0, 10))
                .hasSize(3);
        assertThat(AuditQueries.events(audit.read(), new Filter(null, null, null, "someone-else", null), 0, 10))
                .isEmpty();

        List<StoredEvent> all = AuditQueries.events(audit.read(), ALL, 0, 10);
        List<StoredEvent> page = AuditQueries.events(audit.read(), ALL, all.get(1).position(), 1);
        assertThat(page).containsExactly(all.get(2));
    }

    @Test
    void a_patients_history_holds_its_encounters_observations_and_their_corrections_in_stream_order() {
        PatientId patient = patient();
        PatientId other = patient();
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        ObservationId observation = new ObservationId(UUID.randomUUID());
        audit.apply(registered(patient), registered(other));
        audit.apply(started(encounter, patient), started(new EncounterId(UUID.randomUUID()), other));
        audit.apply(recorded(observation, patient, encounter));
        audit.apply(new ObservationAmended(observation, patient, new Quantity(new BigDecimal("81"), "/min"), null,
                "misread", T1));
        audit.apply(new ObservationEnteredInError(observation, patient, "wrong device", T1),
                new PatientDischarged(encounter, patient, T1, "home"));

        List<StoredEvent> history = AuditQueries.ofPatient(audit.read(), patient.value(), 0, 100);

        assertThat(types(history)).containsExactly("PatientRegistered", "EncounterStarted", "ObservationRecorded",
                "ObservationAmended", "ObservationEnteredInError", "PatientDischarged");
        assertThat(history).isSortedAccordingTo((a, b) -> Long.compare(a.position(), b.position()));
        assertThat(AuditQueries.ofPatient(audit.read(), patient.value(), history.get(2).position(), 2))
                .containsExactly(history.get(3), history.get(4));
        assertThat(AuditQueries.ofPatient(audit.read(), other.value(), 0, 100)).hasSize(2);
    }

    @Test
    void after_a_merge_the_merged_patients_events_stay_its_own_and_appear_in_the_survivors_history() {
        PatientId survivor = patient();
        PatientId merged = patient();
        PatientId mergedEarlier = patient();
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        audit.apply(registered(survivor), registered(merged), registered(mergedEarlier));
        audit.apply(started(encounter, merged));
        audit.apply(new PatientMerged(mergedEarlier, merged, T1));
        audit.apply(new PatientMerged(merged, survivor, T1));
        audit.apply(new PatientDeceased(survivor, T3));

        List<StoredEvent> survivorHistory = AuditQueries.ofPatient(audit.read(), survivor.value(), 0, 100);
        List<StoredEvent> mergedHistory = AuditQueries.ofPatient(audit.read(), merged.value(), 0, 100);

        assertThat(types(survivorHistory)).containsExactly("PatientRegistered", "PatientRegistered",
                "PatientRegistered", "EncounterStarted", "PatientMerged", "PatientMerged", "PatientDeceased");
        assertThat(types(mergedHistory)).containsExactly("PatientRegistered", "PatientRegistered",
                "EncounterStarted", "PatientMerged", "PatientMerged");
        assertThat(mergedHistory).allSatisfy(e -> assertThat(e.aggregateId()).isIn(merged.toString(),
                mergedEarlier.toString(), encounter.toString()));
        assertThat(AuditQueries.ofPatient(audit.read(), mergedEarlier.value(), 0, 100)).hasSize(2);
    }

    @Test
    void a_stream_hands_over_every_event_the_pages_answer_in_the_same_order() {
        PatientId patient = patient();
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        audit.apply(registered(patient), registered(patient()));
        for (int i = 0; i < 3; i++) {
            audit.apply(started(new EncounterId(UUID.randomUUID()), patient));
        }
        audit.apply(started(encounter, patient), new PatientDischarged(encounter, patient, T1, "home"));
        Filter encounters = new Filter(null, null, "EncounterStarted", null, null);

        List<StoredEvent> streamed = new ArrayList<>();
        AuditQueries.streamEvents(audit.read(), encounters, 0, streamed::add);
        assertThat(streamed).hasSize(4).isEqualTo(AuditQueries.events(audit.read(), encounters, 0, 100));

        for (int chunk = 1; chunk <= 5; chunk++) {
            List<StoredEvent> chunked = new ArrayList<>();
            AuditQueries.streamEvents(audit.read(), encounters, 0, chunked::add, chunk);
            assertThat(chunked).as("in statements of %d events", chunk).isEqualTo(streamed);
            List<StoredEvent> all = new ArrayList<>();
            AuditQueries.streamEvents(audit.read(), new Filter(null, null, null, null, null), 0, all::add, chunk);
            assertThat(all).isEqualTo(AuditQueries.events(audit.read(), new Filter(null, null, null, null, null), 0, 100));
        }

        List<StoredEvent> history = new ArrayList<>();
        AuditQueries.streamOfPatient(audit.read(), patient.value(), 0, history::add);
        assertThat(history).hasSize(6).isEqualTo(AuditQueries.ofPatient(audit.read(), patient.value(), 0, 100));

        List<StoredEvent> rest = new ArrayList<>();
        AuditQueries.streamOfPatient(audit.read(), patient.value(), history.get(3).position(), rest::add);
        assertThat(rest).isEqualTo(history.subList(4, 6));
    }

    @Test
    void a_stream_whose_sink_fails_midway_has_ended_its_read_and_transaction_when_the_failure_reaches_the_caller() {
        List<Object> registrations = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            registrations.add(registered(patient()));
        }
        audit.apply(registrations.toArray());
        IllegalStateException gone = new IllegalStateException("the client went away");
        List<StoredEvent> handed = new ArrayList<>();

        assertThatThrownBy(() -> AuditQueries.streamEvents(audit.read(), ALL, 0, event -> {
            handed.add(event);
            if (handed.size() == 10) {
                throw gone;
            }
        })).isSameAs(gone);

        assertThat(handed).hasSize(10);
        assertThat(audit.value("select count(*) from pg_stat_activity where datname = current_database()"
                + " and state like 'idle in transaction%'", Long.class))
                .as("sessions still inside the stream's transaction").isZero();
        List<StoredEvent> all = new ArrayList<>();
        AuditQueries.streamEvents(audit.read(), ALL, 0, all::add);
        assertThat(all).hasSize(3_000).startsWith(handed.toArray(StoredEvent[]::new));
    }

    @Test
    void an_event_that_committed_late_is_filed_at_its_own_position_not_at_its_tracking_tokens() {
        PatientId late = patient();
        PatientId other = patient();
        TrackedEventMessage<?> lateEvent = audit.append(registered(late)).get(0);
        TrackedEventMessage<?> otherEvent = audit.append(registered(other)).get(0);
        audit.handle(List.of(otherEvent));
        // A gap-aware token hands over an event that committed late with the highest position read so far.
        audit.handle(List.of(new GenericTrackedDomainEventMessage<>(otherEvent.trackingToken(),
                (DomainEventMessage<?>) lateEvent)));

        assertThat(AuditQueries.ofPatient(audit.read(), late.value(), 0, 10)).extracting(StoredEvent::position)
                .containsExactly(lateEvent.trackingToken().position().orElseThrow());
        assertThat(AuditQueries.ofPatient(audit.read(), other.value(), 0, 10)).extracting(StoredEvent::position)
                .containsExactly(otherEvent.trackingToken().position().orElseThrow());
    }

    @Test
    void each_events_row_in_the_store_is_filed_with_its_position() {
        PatientId patient = patient();
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        audit.apply(registered(patient), started(encounter, patient));
        audit.apply(new PatientDischarged(encounter, patient, T1, "home"));

        assertThat(audit.rows("""
                select a.position, a.row_ref::text as ref from {s}.audit_event a
                left join %s.domain_event_entry e on e.ctid = a.row_ref and e.global_index = a.position
                where e.global_index is null""".formatted(audit.tenantSchema()))).isEmpty();
        assertThat(audit.rows("select count(*) as n from {s}.audit_event where row_ref is not null"))
                .containsExactly(Map.of("n", 3L));
    }

    /**
     * A row's place in the store changes when the table is rewritten (VACUUM FULL, CLUSTER, a restored dump), and
     * rows filed before {@code row_ref} existed have none: the history is then read by position, event for event.
     */
    @Test
    void a_history_is_the_same_when_the_events_rows_are_not_where_they_were_filed() {
        PatientId patient = patient();
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        ObservationId observation = new ObservationId(UUID.randomUUID());
        audit.apply(registered(patient), registered(patient()), started(encounter, patient));
        audit.apply(recorded(observation, patient, encounter), new PatientDischarged(encounter, patient, T1, "home"));
        List<StoredEvent> filed = AuditQueries.ofPatient(audit.read(), patient.value(), 0, 100);
        List<StoredEvent> streamed = new ArrayList<>();
        AuditQueries.streamOfPatient(audit.read(), patient.value(), 0, streamed::add);
        assertThat(streamed).isEqualTo(filed);
        List<Long> positions = filed.stream().map(StoredEvent::position).toList();

        JdbcTemplate jdbc = audit.region().jdbc();
        // the first two events' places swapped, the third's gone, the fourth's past the table's end
        jdbc.update("""
                update %1$s.audit_event a set row_ref = (select b.row_ref from %1$s.audit_event b
                    where b.patient_id = a.patient_id and b.position = case a.position when ? then ? else ? end)
                where a.patient_id = ? and a.position in (?, ?)""".formatted(audit.schema()),
                positions.get(0), positions.get(1), positions.get(0), patient.value(), positions.get(0),
                positions.get(1));
        jdbc.update("update %s.audit_event set row_ref = null where position = ?".formatted(audit.schema()),
                positions.get(2));
        jdbc.update("update %s.audit_event set row_ref = '(4000000000,1)' where position = ?"
                .formatted(audit.schema()), positions.get(3));

        assertThat(AuditQueries.ofPatient(audit.read(), patient.value(), 0, 100)).isEqualTo(filed);
        List<StoredEvent> again = new ArrayList<>();
        AuditQueries.streamOfPatient(audit.read(), patient.value(), 0, again::add);
        assertThat(again).isEqualTo(filed);
    }

    @Test
    void a_generation_made_before_row_ref_gets_the_column_at_the_next_start_and_its_history_is_whole() {
        PatientId patient = patient();
        audit.apply(registered(patient));
        JdbcTemplate jdbc = audit.region().jdbc();
        jdbc.execute("alter table %s.audit_event drop column row_ref".formatted(audit.schema()));

        audit.registerAgain();
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        audit.apply(started(encounter, patient));

        assertThat(audit.rows("select row_ref is null as old from {s}.audit_event order by position"))
                .containsExactly(Map.of("old", true), Map.of("old", false));
        assertThat(types(AuditQueries.ofPatient(audit.read(), patient.value(), 0, 100)))
                .containsExactly("PatientRegistered", "EncounterStarted");
    }

    /** Every start runs the upgrade: with nothing to change it takes no lock, so a long read does not hold it up. */
    @Test
    void the_upgrade_of_an_up_to_date_generation_waits_for_no_reader() throws Exception {
        try (Connection reader = audit.region().jdbc().getDataSource().getConnection()) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                statement.execute("lock table %s.audit_event in access share mode".formatted(audit.schema()));
                assertTimeoutPreemptively(Duration.ofSeconds(10), audit::registerAgain);
            } finally {
                reader.rollback();
            }
        }
    }

    @Test
    void a_patient_is_known_once_registered_and_an_encounter_is_not_a_patient() {
        PatientId patient = patient();
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        audit.apply(registered(patient), started(encounter, patient));

        assertThat(AuditQueries.knownPatient(audit.read(), patient.value())).isTrue();
        assertThat(AuditQueries.knownPatient(audit.read(), encounter.value())).isFalse();
        assertThat(AuditQueries.knownPatient(audit.read(), UUID.randomUUID())).isFalse();
    }

    private static List<String> types(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::type).toList();
    }

    private static List<String> aggregates(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::aggregateId).toList();
    }

    private static PatientId patient() {
        return new PatientId(UUID.randomUUID());
    }

    private static PatientRegistered registered(PatientId patient) {
        return new PatientRegistered(patient, new Mrn("MRN-" + patient), new HumanName("Lovelace", List.of("Ada")),
                null, Gender.FEMALE, List.of(), List.of(), null);
    }

    private static EncounterStarted started(EncounterId encounter, PatientId patient) {
        return new EncounterStarted(encounter, patient, EncounterClass.AMB, new FacilityId(UUID.randomUUID()),
                "Ward 1", T1, null);
    }

    private static ObservationRecorded recorded(ObservationId observation, PatientId patient, EncounterId encounter) {
        return new ObservationRecorded(observation, patient, encounter, null,
                new Coding("http://loinc.org", "8867-4", "Heart rate"), "vital-signs", T1,
                new Quantity(new BigDecimal("80"), "/min"), null);
    }
}
