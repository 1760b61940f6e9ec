package org.clinical.projections.observation;

import org.axonframework.eventhandling.TrackedEventMessage;
import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.ObservationValue;
import org.clinical.events.observation.ObservationValue.Component;
import org.clinical.events.observation.ObservationValue.Components;
import org.clinical.events.observation.ObservationValue.Quantity;
import org.clinical.events.observation.ReferenceRange;
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
import static org.clinical.projections.support.ReadModelSql.columns;
import static org.clinical.projections.support.ReadModelSql.json;

/**
 * The observations read model (every observation, the latest vital sign per patient and code, the statistics per
 * code, unit, UTC day and facility) as its projection writes it from the tenant's stored events
 * (docs/read-models.md).
 */
class ObservationProjectionTest {

    private static final Coding HEART_RATE = new Coding("http://loinc.org", "8867-4", "Heart rate");
    private static final Coding GLUCOSE = new Coding("http://loinc.org", "2339-0", "Glucose");
    private static final ReferenceRange NORMAL_RATE = new ReferenceRange(new BigDecimal("60"), new BigDecimal("100"));
    private static final Instant NINE = Instant.parse("2025-03-01T09:00:00Z");
    private static final Instant TEN = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant RECORDED = Instant.parse("2025-03-01T10:05:00Z");
    private static final Instant CORRECTED = Instant.parse("2025-03-02T08:00:00Z");
    private static final LocalDate DAY = LocalDate.of(2025, 3, 1);
    /**
     * The tables a batch handled again leaves as they were. Not the statistics: a recorded value moves them by
     * its batch, kept exactly once only because they commit with the processor's token.
     */
    private static final String[] ROWS = {"observation", "latest_vital"};
    private static final String[] ALL = {"observation", "latest_vital", "observation_stat", "observation_stat_bucket"};

    private final PatientId patient = new PatientId(UUID.randomUUID());
    private final FacilityId facility = new FacilityId(UUID.randomUUID());
    private final EncounterId encounter = new EncounterId(UUID.randomUUID());
    private final ObservationId pulse = new ObservationId(UUID.randomUUID());
    private final ObservationId earlierPulse = new ObservationId(UUID.randomUUID());
    private ProjectionHarness observations;

    @BeforeEach
    void start() {
        observations = ProjectionHarness.start(ObservationProjection.READ_MODEL, ObservationProjection::new);
    }

    @AfterEach
    void stop() {
        observations.close();
    }

    @Test
    void a_recorded_vital_sign_has_its_row_with_its_interpretation_and_the_time_of_its_event() {
        observations.at(RECORDED).apply(heartRate(pulse, TEN, "72"));

        assertThat(observation(pulse))
                .containsEntry("patient_id", patient.value())
                .containsEntry("encounter_id", encounter.value())
                .containsEntry("facility_id", facility.value())
                .containsEntry("code_system", "http://loinc.org")
                .containsEntry("code", "8867-4")
                .containsEntry("code_display", "Heart rate")
                .containsEntry("category", "vital-signs")
                .containsEntry("effective_at", TEN)
                .containsEntry("value", json("{\"quantity\": {\"value\": 72, \"unit\": \"/min\"}}"))
                .containsEntry("value_num", new BigDecimal("72"))
                .containsEntry("unit", "/min")
                .containsEntry("range_low", new BigDecimal("60"))
                .containsEntry("range_high", new BigDecimal("100"))
                .containsEntry("interpretation", "N")
                .containsEntry("status", "final")
                .containsEntry("version", 1L)
                .containsEntry("recorded_at", RECORDED)
                .containsEntry("updated_at", RECORDED)
                .containsEntry("amendment_reason", null)
                .containsEntry("error_reason", null);
        assertThat(observations.toldChanged()).containsExactly(Set.of(patient.toString()));
    }

    @Test
    void a_recorded_vital_sign_is_the_latest_of_its_code_and_counts_in_the_statistics_of_its_day_and_facility() {
        observations.apply(heartRate(pulse, TEN, "72"));

        assertThat(latestVital("8867-4")).isEqualTo(columns("observation_id", pulse.value(), "effective_at", TEN,
                "value", json("{\"quantity\": {\"value\": 72, \"unit\": \"/min\"}}"), "status", "final",
                "interpretation", "N", "code_display", "Heart rate"));
        assertThat(observations.rows("select code_system, code, unit, day, facility_id, count, sum, min, max"
                + " from {s}.observation_stat")).containsExactly(columns("code_system", "http://loinc.org",
                "code", "8867-4", "unit", "/min", "day", DAY, "facility_id", facility.value(), "count", 1L,
                "sum", new BigDecimal("72"), "min", new BigDecimal("72"), "max", new BigDecimal("72")));
        assertThat(buckets("8867-4")).containsExactly(bucket(72, 1));
    }

    @Test
    void observations_of_two_months_go_to_their_months_partitions() {
        ObservationId february = new ObservationId(UUID.randomUUID());
        observations.apply(heartRate(february, Instant.parse("2025-02-28T23:59:59Z"), "70"),
                heartRate(pulse, Instant.parse("2025-03-01T00:00:00Z"), "72"));

        assertThat(observations.rows("select tableoid::regclass::text as part, observation_id"
                + " from {s}.observation order by effective_at")).containsExactly(
                columns("part", observations.schema() + ".observation_2025_02", "observation_id", february.value()),
                columns("part", observations.schema() + ".observation_2025_03", "observation_id", pulse.value()));
    }

    @Test
    void a_newer_vital_sign_replaces_the_latest_and_an_older_one_recorded_later_does_not() {
        observations.apply(heartRate(earlierPulse, NINE, "70"));
        observations.apply(heartRate(pulse, TEN, "72"));
        assertThat(latestVital("8867-4")).containsEntry("observation_id", pulse.value());

        observations.apply(heartRate(new ObservationId(UUID.randomUUID()), Instant.parse("2025-03-01T08:00:00Z"),
                "90"));

        assertThat(latestVital("8867-4")).containsEntry("observation_id", pulse.value())
                .containsEntry("effective_at", TEN);
    }

    @Test
    void a_panel_counts_each_quantity_component_under_its_own_code_and_not_under_the_panels() {
        Coding panel = new Coding("http://loinc.org", "85354-9", "Blood pressure panel");
        Components pressures = new Components(List.of(
                new Component(new Coding("http://loinc.org", "8480-6", "Systolic"), quantity("128", "mm[Hg]")),
                new Component(new Coding("http://loinc.org", "8462-4", "Diastolic"), quantity("82", "mm[Hg]")),
                new Component(new Coding("http://loinc.org", "8478-0", "Position"), new ObservationValue.StringValue(
                        "sitting"))));

        observations.apply(new ObservationRecorded(pulse, patient, encounter, facility, panel, "vital-signs", TEN,
                pressures, null));

        assertThat(observation(pulse)).containsEntry("value_num", null).containsEntry("unit", null)
                .containsEntry("interpretation", null);
        assertThat(observations.rows("select code, unit, count, sum from {s}.observation_stat order by code"))
                .containsExactly(
                        columns("code", "8462-4", "unit", "mm[Hg]", "count", 1L, "sum", new BigDecimal("82")),
                        columns("code", "8480-6", "unit", "mm[Hg]", "count", 1L, "sum", new BigDecimal("128")));
        assertThat(latestVital("85354-9")).containsEntry("observation_id", pulse.value());
    }

    @Test
    void a_laboratory_result_without_an_encounter_counts_under_no_facility_and_is_no_vital_sign() {
        observations.apply(new ObservationRecorded(pulse, patient, null, null, GLUCOSE, "laboratory", TEN,
                quantity("5.4", "mmol/L"), null));

        assertThat(observations.row("select facility_id, count, sum from {s}.observation_stat"))
                .isEqualTo(columns("facility_id", null, "count", 1L, "sum", new BigDecimal("5.4")));
        assertThat(observations.count("select count(*) from {s}.latest_vital")).isZero();
        assertThat(observations.toldChanged()).isEmpty();
    }

    @Test
    void an_amendment_replaces_the_value_keeps_the_range_and_moves_the_value_in_the_statistics() {
        observations.at(RECORDED).apply(heartRate(pulse, TEN, "72"));

        observations.at(CORRECTED).apply(new ObservationAmended(pulse, patient, quantity("130", "/min"), null,
                "transcription error", CORRECTED));

        assertThat(observation(pulse))
                .containsEntry("status", "amended")
                .containsEntry("value", json("{\"quantity\": {\"value\": 130, \"unit\": \"/min\"}}"))
                .containsEntry("value_num", new BigDecimal("130"))
                .containsEntry("range_low", new BigDecimal("60"))
                .containsEntry("range_high", new BigDecimal("100"))
                .containsEntry("interpretation", "H")
                .containsEntry("amendment_reason", "transcription error")
                .containsEntry("version", 2L)
                .containsEntry("recorded_at", RECORDED)
                .containsEntry("updated_at", CORRECTED);
        assertThat(latestVital("8867-4")).containsEntry("observation_id", pulse.value())
                .containsEntry("value", json("{\"quantity\": {\"value\": 130, \"unit\": \"/min\"}}"))
                .containsEntry("status", "amended")
                .containsEntry("interpretation", "H");
        assertThat(stat("8867-4")).isEqualTo(stat(1, "130", "130", "130"));
        assertThat(buckets("8867-4")).containsExactly(bucket(130, 1));
        assertThat(observations.toldChanged()).last().isEqualTo(Set.of(patient.toString()));
    }

    @Test
    void an_amendment_to_a_value_that_is_no_quantity_drops_the_range_and_the_value_from_the_statistics() {
        observations.apply(heartRate(pulse, TEN, "72"));

        observations.apply(new ObservationAmended(pulse, patient, new ObservationValue.StringValue("not measurable"),
                null, "probe fell off", CORRECTED));

        assertThat(observation(pulse))
                .containsEntry("value", json("{\"string\": \"not measurable\"}"))
                .containsEntry("value_num", null)
                .containsEntry("range_low", null)
                .containsEntry("interpretation", null);
        assertThat(stat("8867-4")).isEqualTo(stat(0, "0", null, null));
        assertThat(buckets("8867-4")).isEmpty();
    }

    @Test
    void an_observation_entered_in_error_keeps_its_row_leaves_the_statistics_and_the_latest_vital_falls_back() {
        observations.apply(heartRate(earlierPulse, NINE, "70"), heartRate(pulse, TEN, "80"));

        observations.at(CORRECTED).apply(new ObservationEnteredInError(pulse, patient, "wrong patient", CORRECTED));

        assertThat(observation(pulse))
                .containsEntry("status", "entered-in-error")
                .containsEntry("error_reason", "wrong patient")
                .containsEntry("value_num", new BigDecimal("80"))
                .containsEntry("version", 2L)
                .containsEntry("updated_at", CORRECTED);
        assertThat(latestVital("8867-4")).containsEntry("observation_id", earlierPulse.value())
                .containsEntry("effective_at", NINE);
        assertThat(stat("8867-4")).isEqualTo(stat(1, "70", "70", "70"));
        assertThat(buckets("8867-4")).containsExactly(bucket(70, 1));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void an_observation_recorded_and_amended_in_one_batch_counts_its_amended_value_only(Mode mode) {
        observations.apply(mode, heartRate(pulse, TEN, "72"),
                new ObservationAmended(pulse, patient, quantity("75", "/min"), null, "re-read", CORRECTED));

        assertThat(observation(pulse)).containsEntry("status", "amended").containsEntry("version", 2L)
                .containsEntry("value_num", new BigDecimal("75"));
        assertThat(latestVital("8867-4")).containsEntry("status", "amended")
                .containsEntry("value", json("{\"quantity\": {\"value\": 75, \"unit\": \"/min\"}}"));
        assertThat(stat("8867-4")).isEqualTo(stat(1, "75", "75", "75"));
        assertThat(buckets("8867-4")).containsExactly(bucket(75, 1));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void every_event_of_one_observation_in_one_batch_applies_in_order(Mode mode) {
        observations.apply(mode, heartRate(pulse, TEN, "72"),
                new ObservationAmended(pulse, patient, quantity("75", "/min"), null, "re-read", CORRECTED),
                new ObservationEnteredInError(pulse, patient, "wrong patient", CORRECTED));

        assertThat(observation(pulse))
                .containsEntry("status", "entered-in-error")
                .containsEntry("value_num", new BigDecimal("75"))
                .containsEntry("amendment_reason", "re-read")
                .containsEntry("error_reason", "wrong patient")
                .containsEntry("version", 3L);
        assertThat(observations.count("select count(*) from {s}.latest_vital")).isZero();
        assertThat(observations.count("select coalesce(sum(count), 0) from {s}.observation_stat")).isZero();
        assertThat(buckets("8867-4")).isEmpty();
        assertThat(observations.toldChanged()).containsExactly(Set.of(patient.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mode.class)
    void the_same_batch_handled_twice_changes_no_observation_or_latest_vital(Mode mode) {
        observations.apply(heartRate(earlierPulse, NINE, "70"));
        List<TrackedEventMessage<?>> batch = observations.append(heartRate(pulse, TEN, "72"),
                new ObservationRecorded(new ObservationId(UUID.randomUUID()), patient, null, null, GLUCOSE,
                        "laboratory", TEN, quantity("5.4", "mmol/L"), null),
                new ObservationAmended(pulse, patient, quantity("75", "/min"), null, "re-read", CORRECTED),
                new ObservationEnteredInError(earlierPulse, patient, "wrong patient", CORRECTED));
        observations.handle(mode, batch);
        Map<String, List<String>> once = observations.tables(ROWS);

        observations.handle(mode, batch);

        assertThat(observations.tables(ROWS)).isEqualTo(once);
    }

    @Test
    void events_of_other_aggregates_pass_through_without_changing_a_row_or_telling_a_patient() {
        observations.apply(new ObservationRecorded(pulse, patient, null, null, GLUCOSE, "laboratory", TEN,
                quantity("5.4", "mmol/L"), null));
        Map<String, List<String>> before = observations.tables(ALL);

        observations.apply(
                new PatientRegistered(patient, new Mrn("MRN-1"), new HumanName("Lovelace", List.of("Ada")), null,
                        Gender.FEMALE, List.of(), List.of(), null),
                new EncounterStarted(encounter, patient, EncounterClass.EMER, facility, "Bay 2", TEN, null));

        assertThat(observations.tables(ALL)).isEqualTo(before);
        assertThat(observations.toldChanged()).isEmpty();
    }

    private ObservationRecorded heartRate(ObservationId id, Instant effectiveAt, String value) {
        return new ObservationRecorded(id, patient, encounter, facility, HEART_RATE, "vital-signs", effectiveAt,
                quantity(value, "/min"), NORMAL_RATE);
    }

    private static Quantity quantity(String value, String unit) {
        return new Quantity(new BigDecimal(value), unit);
    }

    private Map<String, Object> observation(ObservationId id) {
        return observations.row("select * from {s}.observation where observation_id = ?", id.value());
    }

    private Map<String, Object> latestVital(String code) {
        return observations.row("select observation_id, effective_at, value, status, interpretation, code_display"
                + " from {s}.latest_vital where patient_id = ? and code = ?", patient.value(), code);
    }

    private Map<String, Object> stat(String code) {
        return observations.row("select count, sum, min, max from {s}.observation_stat where code = ?", code);
    }

    private static Map<String, Object> stat(long count, String sum, String min, String max) {
        return columns("count", count, "sum", new BigDecimal(sum), "min", min == null ? null : new BigDecimal(min),
                "max", max == null ? null : new BigDecimal(max));
    }

    /** The histogram's non-empty buckets of a code. */
    private List<Map<String, Object>> buckets(String code) {
        return observations.rows("select sign, k, count from {s}.observation_stat_bucket"
                + " where code = ? and count <> 0 order by sign, k", code);
    }

    private static Map<String, Object> bucket(int value, long count) {
        BigDecimal v = new BigDecimal(value);
        return columns("sign", StatsBuckets.sign(v), "k", StatsBuckets.index(v), "count", count);
    }
}
