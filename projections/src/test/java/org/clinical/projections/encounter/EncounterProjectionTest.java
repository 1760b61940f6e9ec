package org.clinical.projections.encounter;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterEvent.PatientTransferred;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.support.ProjectionHarness;
import org.clinical.projections.support.ProjectionHarness.Mode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.projections.support.ProjectionHarness.together;
import static org.clinical.projections.support.ReadModelSql.columns;
import static org.clinical.projections.support.ReadModelSql.json;

/**
 * The encounters read model (encounters, their stays, the census, encounters per UTC start day) as its projection
 * writes it from the tenant's stored events (docs/read-models.md).
 */
class EncounterProjectionTest {

    private static final Instant STARTED = Instant.parse("2025-03-01T23:45:00Z");
    private static final Instant MOVED = Instant.parse("2025-03-02T09:10:00Z");
    private static final Instant MOVED_AGAIN = Instant.parse("2025-03-02T17:20:00Z");
    private static final Instant ENDED = Instant.parse("2025-03-04T11:00:00Z");
    private static final LocalDate START_DAY = LocalDate.of(2025, 3, 1);
    private static final Coding PNEUMONIA = new Coding("http://snomed.info/sct", "233604007", "Pneumonia");
    /**
     * The tables a batch handled again leaves as they were. Not {@code encounter_daily}: its counts move by each
     * batch's starts and cancellations, kept exactly once only because they commit with the processor's token.
     */
    private static final String[] ROWS = {"encounter", "encounter_location", "census"};

    private final PatientId patient = new PatientId(UUID.randomUUID());
    private final FacilityId facility = new FacilityId(UUID.randomUUID());
    private final EncounterId stay = new EncounterId(UUID.randomUUID());
    private ProjectionHarness encounters;

    @BeforeEach
    void start() {
        encounters = ProjectionHarness.start(EncounterProjection.READ_MODEL, EncounterProjection::new);
    }

    @AfterEach
    void stop() {
        encounters.close();
    }

    @Test
    void a_started_encounter_is_in_progress_at_its_first_location_in_the_census_and_counted_on_its_utc_start_day() {
        encounters.apply(started(stay, "Ward 1"));

        assertThat(encounter(stay))
                .containsEntry("patient_id", patient.value())
                .containsEntry("encounter_class", "IMP")
                .containsEntry("facility_id", facility.value())
                .containsEntry("location", "Ward 1")
                .containsEntry("status", "in-progress")
                .containsEntry("started_at", STARTED)
                .containsEntry("ended_at", null)
                .containsEntry("reason", json("""
                        {"system": "http://snomed.info/sct", "code": "233604007", "display": "Pneumonia"}"""))
                .containsEntry("disposition", null)
                .containsEntry("version", 1L);
        assertThat(stays(stay)).containsExactly(stayRow(1, "Ward 1", STARTED, null));
        assertThat(encounters.row("select * from {s}.census where encounter_id = ?", stay.value())).isEqualTo(Map.of(
                "encounter_id", stay.value(), "patient_id", patient.value(), "encounter_class", "IMP",
                "facility_id", facility.value(), "location", "Ward 1", "started_at", STARTED));
        assertThat(encounters.rows("select * from {s}.encounter_daily")).containsExactly(Map.of(
                "day", START_DAY, "facility_id", facility.value(), "encounter_class", "IMP", "count", 1L));
        assertThat(encounters.toldChanged()).containsExactly(Set.of(patient.toString()));
    }

    @Test
    void an_encounter_started_without_a_location_has_its_first_stay_from_its_first_transfer() {
        encounters.apply(started(stay, null));
        assertThat(stays(stay)).isEmpty();
        assertThat(encounters.value("select location from {s}.census where encounter_id = ?", String.class,
                stay.value())).isNull();

        encounters.apply(new PatientTransferred(stay, patient, null, "Ward 2", MOVED));

        assertThat(stays(stay)).containsExactly(stayRow(2, "Ward 2", MOVED, null));
        assertThat(encounter(stay)).containsEntry("location", "Ward 2").containsEntry("version", 2L);
        assertThat(encounters.value("select location from {s}.census where encounter_id = ?", String.class,
                stay.value())).isEqualTo("Ward 2");
    }

    @Test
    void a_transfer_closes_the_stay_opens_the_next_and_moves_the_patient_in_the_census() {
        encounters.apply(started(stay, "Ward 1"));

        encounters.apply(new PatientTransferred(stay, patient, "Ward 1", "ICU", MOVED));

        assertThat(encounter(stay))
                .containsEntry("location", "ICU")
                .containsEntry("status", "in-progress")
                .containsEntry("version", 2L);
        assertThat(stays(stay)).containsExactly(stayRow(1, "Ward 1", STARTED, MOVED), stayRow(2, "ICU", MOVED, null));
        assertThat(encounters.value("select location from {s}.census where encounter_id = ?", String.class,
                stay.value())).isEqualTo("ICU");
        assertThat(encounters.count("select count from {s}.encounter_daily")).isEqualTo(1);
    }

    @Test
    void a_discharge_finishes_the_encounter_closes_its_stay_and_takes_it_out_of_the_census_but_not_of_its_day() {
        encounters.apply(started(stay, "Ward 1"));

        encounters.apply(new PatientDischarged(stay, patient, ENDED, "home"));

        assertThat(encounter(stay))
                .containsEntry("status", "finished")
                .containsEntry("ended_at", ENDED)
                .containsEntry("disposition", "home")
                .containsEntry("location", "Ward 1")
                .containsEntry("version", 2L);
        assertThat(stays(stay)).containsExactly(stayRow(1, "Ward 1", STARTED, ENDED));
        assertThat(encounters.count("select count(*) from {s}.census")).isZero();
        assertThat(encounters.count("select count from {s}.encounter_daily")).isEqualTo(1);
        assertThat(encounters.toldChanged()).last().isEqualTo(Set.of(patient.toString()));
    }

    @Test
    void a_cancelled_encounter_ends_at_its_cancellation_and_leaves_the_census_and_the_count_of_its_day() {
        encounters.apply(started(stay, "Ward 1"));

        encounters.apply(new EncounterCancelled(stay, patient, "registered in error", ENDED));

        assertThat(encounter(stay))
                .containsEntry("status", "cancelled")
                .containsEntry("ended_at", ENDED)
                .containsEntry("disposition", null)
                .containsEntry("version", 2L);
        assertThat(stays(stay)).containsExactly(stayRow(1, "Ward 1", STARTED, ENDED));
        assertThat(encounters.count("select count(*) from {s}.census")).isZero();
        assertThat(encounters.count("select count from {s}.encounter_daily")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void every_event_of_one_encounter_in_one_batch_applies_in_order(Mode mode) {
        encounters.apply(mode, started(stay, "Ward 1"),
                new PatientTransferred(stay, patient, "Ward 1", "ICU", MOVED),
                new PatientTransferred(stay, patient, "ICU", "Ward 3", MOVED_AGAIN),
                new PatientDischarged(stay, patient, ENDED, "home"));

        assertThat(encounter(stay))
                .containsEntry("status", "finished")
                .containsEntry("location", "Ward 3")
                .containsEntry("ended_at", ENDED)
                .containsEntry("version", 4L);
        assertThat(stays(stay)).containsExactly(stayRow(1, "Ward 1", STARTED, MOVED),
                stayRow(2, "ICU", MOVED, MOVED_AGAIN), stayRow(3, "Ward 3", MOVED_AGAIN, ENDED));
        assertThat(encounters.count("select count(*) from {s}.census")).isZero();
        assertThat(encounters.count("select count from {s}.encounter_daily")).isEqualTo(1);
        assertThat(encounters.toldChanged()).containsExactly(Set.of(patient.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void an_encounter_started_and_cancelled_in_one_batch_is_never_counted(Mode mode) {
        encounters.apply(mode, started(stay, "Ward 1"), new EncounterCancelled(stay, patient, "duplicate", MOVED));

        assertThat(encounter(stay)).containsEntry("status", "cancelled").containsEntry("version", 2L);
        assertThat(encounters.count("select count(*) from {s}.census")).isZero();
        assertThat(encounters.count("select coalesce(sum(count), 0) from {s}.encounter_daily")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void the_same_batch_handled_twice_changes_no_encounter_stay_or_census_row(Mode mode) {
        EncounterId other = new EncounterId(UUID.randomUUID());
        List<TrackedEventMessage<?>> batch = encounters.append(started(stay, "Ward 1"), started(other, "Ward 2"),
                new PatientTransferred(stay, patient, "Ward 1", "ICU", MOVED),
                new PatientDischarged(stay, patient, ENDED, "home"),
                new PatientTransferred(other, patient, "Ward 2", "Ward 4", MOVED_AGAIN));
        encounters.handle(mode, batch);
        Map<String, List<String>> once = encounters.tables(ROWS);

        encounters.handle(mode, batch);

        assertThat(encounters.tables(ROWS)).isEqualTo(once);
    }

    @Test
    void events_of_other_aggregates_pass_through_without_changing_a_row_or_telling_a_patient() {
        encounters.apply(started(stay, "Ward 1"));
        Map<String, List<String>> before = encounters.tables("encounter", "encounter_location", "census",
                "encounter_daily");

        encounters.apply(
                new PatientRegistered(patient, new Mrn("MRN-1"), new HumanName("Lovelace", List.of("Ada")), null,
                        Gender.FEMALE, List.of(), List.of(), null),
                new ObservationRecorded(new ObservationId(UUID.randomUUID()), patient, stay, facility,
                        new Coding("http://loinc.org", "8867-4", "Heart rate"), "vital-signs", MOVED,
                        new ObservationValue.Quantity(new BigDecimal("72"), "/min"), null));

        assertThat(encounters.tables("encounter", "encounter_location", "census", "encounter_daily"))
                .isEqualTo(before);
        assertThat(encounters.toldChanged()).containsExactly(Set.of(patient.toString()));
    }

    private EncounterStarted started(EncounterId id, String location) {
        return new EncounterStarted(id, patient, EncounterClass.IMP, facility, location, STARTED, PNEUMONIA);
    }

    private Map<String, Object> encounter(EncounterId id) {
        return encounters.row("select * from {s}.encounter where encounter_id = ?", id.value());
    }

    private List<Map<String, Object>> stays(EncounterId id) {
        return encounters.rows("select seq, location, from_at, to_at from {s}.encounter_location"
                + " where encounter_id = ? order by seq", id.value());
    }

    private static Map<String, Object> stayRow(long seq, String location, Instant from, Instant to) {
        return columns("seq", seq, "location", location, "from_at", from, "to_at", to);
    }
}
