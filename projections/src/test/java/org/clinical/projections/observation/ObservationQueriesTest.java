package org.clinical.projections.observation;

import com.fasterxml.jackson.databind.JsonNode;
import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.observation.ObservationEvent.ObservationAmended;
import org.clinical.events.observation.ObservationEvent.ObservationEnteredInError;
import org.clinical.events.observation.ObservationEvent.ObservationRecorded;
import org.clinical.events.observation.ObservationId;
import org.clinical.events.observation.ObservationValue.Quantity;
import org.clinical.events.observation.ReferenceRange;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.observation.ObservationQueries.After;
import org.clinical.projections.observation.ObservationQueries.Filter;
import org.clinical.projections.observation.ObservationQueries.Observation;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link ObservationQueries} over the observations the projection wrote from stored events, read as the query side
 * reads them. One tenant for the class; each test has a patient of its own.
 */
class ObservationQueriesTest {

    private static final Filter ALL = new Filter(null, null, null, null);
    private static final Coding HEART_RATE = new Coding("http://loinc.org", "8867-4", "Heart rate");
    private static final Coding LOCAL_HEART_RATE = new Coding("urn:local:vitals", "8867-4", "Pulse");
    private static final Coding GLUCOSE = new Coding("http://loinc.org", "2339-0", "Glucose");
    private static final ReferenceRange NORMAL_RATE = new ReferenceRange(new BigDecimal("60"), new BigDecimal("100"));
    private static final Instant NINE = Instant.parse("2025-03-01T09:00:00Z");
    private static final Instant TEN = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant ELEVEN = Instant.parse("2025-03-01T11:00:00Z");
    private static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant CORRECTED = Instant.parse("2025-03-02T08:00:00Z");

    private static ProjectionHarness observations;

    private final PatientId patient = new PatientId(UUID.randomUUID());
    private final EncounterId encounter = new EncounterId(UUID.randomUUID());
    private final FacilityId facility = new FacilityId(UUID.randomUUID());

    @BeforeAll
    static void start() {
        observations = ProjectionHarness.start(ObservationProjection.READ_MODEL, ObservationProjection::new);
    }

    @AfterAll
    static void stop() {
        observations.close();
    }

    @Test
    void a_patients_observations_come_newest_first_with_code_value_range_and_status_and_never_another_patients() {
        ObservationId pulse = newId();
        ObservationId sugar = newId();
        observations.apply(heartRate(pulse, HEART_RATE, TEN, "72"), glucose(sugar, NINE, "5.4"),
                new ObservationRecorded(newId(), new PatientId(UUID.randomUUID()), encounter, facility, HEART_RATE,
                        "vital-signs", ELEVEN, new Quantity(new BigDecimal("80"), "/min"), NORMAL_RATE));

        assertThat(ObservationQueries.ofPatient(observations.read(), patient.value(), ALL, null, 10)).containsExactly(
                new Observation(pulse.value(), patient.value(), encounter.value(), "http://loinc.org", "8867-4",
                        "Heart rate", "vital-signs", TEN, quantity("72", "/min"), new BigDecimal("60"),
                        new BigDecimal("100"), "N", "final", 1),
                new Observation(sugar.value(), patient.value(), null, "http://loinc.org", "2339-0", "Glucose",
                        "laboratory", NINE, quantity("5.4", "mmol/L"), null, null, null, "final", 1));
    }

    @Test
    void amended_and_entered_in_error_observations_stay_in_the_list_with_their_status() {
        ObservationId amended = newId();
        ObservationId inError = newId();
        observations.apply(heartRate(amended, HEART_RATE, TEN, "72"), heartRate(inError, HEART_RATE, ELEVEN, "75"));
        observations.apply(new ObservationAmended(amended, patient, new Quantity(new BigDecimal("130"), "/min"), null,
                        "transcription error", CORRECTED),
                new ObservationEnteredInError(inError, patient, "wrong patient", CORRECTED));

        assertThat(ObservationQueries.ofPatient(observations.read(), patient.value(),
                new Filter(null, "8867-4", TEN, ELEVEN), null, 10))
                .extracting(Observation::observationId, Observation::value, Observation::interpretation,
                        Observation::status, Observation::version)
                .containsExactly(tuple(inError.value(), quantity("75", "/min"), "N", "entered-in-error", 2L),
                        tuple(amended.value(), quantity("130", "/min"), "H", "amended", 2L));
    }

    @Test
    void a_code_matches_in_any_system_unless_its_system_is_given() {
        ObservationId loinc = newId();
        ObservationId local = newId();
        observations.apply(heartRate(loinc, HEART_RATE, TEN, "72"),
                heartRate(local, LOCAL_HEART_RATE, ELEVEN, "74"),
                glucose(newId(), NOON, "5.4"));

        assertThat(ids(new Filter(null, "8867-4", null, null))).containsExactly(local.value(), loinc.value());
        assertThat(ids(new Filter("http://loinc.org", "8867-4", null, null))).containsExactly(loinc.value());
        assertThat(ids(new Filter("urn:local:vitals", "8867-4", null, null))).containsExactly(local.value());
        assertThat(ids(new Filter("http://loinc.org", "no-such-code", null, null))).isEmpty();
    }

    @Test
    void from_and_to_bound_the_effective_time_both_inclusive() {
        List<ObservationId> ids = Stream.generate(ObservationQueriesTest::newId).limit(4).toList();
        observations.apply(heartRate(ids.get(0), HEART_RATE, NINE, "70"),
                heartRate(ids.get(1), HEART_RATE, TEN, "71"),
                heartRate(ids.get(2), HEART_RATE, ELEVEN, "72"),
                heartRate(ids.get(3), HEART_RATE, NOON, "73"));

        assertThat(ids(new Filter(null, null, TEN, ELEVEN))).containsExactly(ids.get(2).value(), ids.get(1).value());
        assertThat(ids(new Filter(null, null, TEN, null)))
                .containsExactly(ids.get(3).value(), ids.get(2).value(), ids.get(1).value());
        assertThat(ids(new Filter(null, null, null, TEN))).containsExactly(ids.get(1).value(), ids.get(0).value());
        assertThat(ids(new Filter(null, "8867-4", ELEVEN, ELEVEN))).containsExactly(ids.get(2).value());
    }

    @Test
    void pages_continue_after_the_last_observation_given_with_the_filter_kept_and_ties_by_descending_id() {
        List<ObservationRecorded> pulses = Stream.of(NINE, TEN, TEN, TEN, ELEVEN, NOON)
                .map(at -> heartRate(newId(), HEART_RATE, at, "72")).toList();
        observations.apply(Stream.concat(pulses.stream(), Stream.of(glucose(newId(), TEN, "5.4")))
                .toArray());
        Filter filter = new Filter("http://loinc.org", "8867-4", TEN, NOON);
        List<UUID> newestFirst = pulses.stream().filter(p -> !p.effectiveAt().isBefore(TEN))
                .sorted(Comparator.comparing(ObservationRecorded::effectiveAt)
                        .thenComparing(p -> p.observationId().value().toString()).reversed())
                .map(p -> p.observationId().value()).toList();

        List<List<UUID>> pages = new ArrayList<>();
        After after = null;
        List<Observation> page;
        do {
            page = ObservationQueries.ofPatient(observations.read(), patient.value(), filter, after, 2);
            pages.add(page.stream().map(Observation::observationId).toList());
            after = page.isEmpty() ? after : new After(page.getLast().effectiveAt(), page.getLast().observationId());
        } while (page.size() == 2 && pages.size() < 10);

        assertThat(newestFirst).hasSize(5);
        assertThat(pages).containsExactly(newestFirst.subList(0, 2), newestFirst.subList(2, 4),
                newestFirst.subList(4, 5));
    }

    private List<UUID> ids(Filter filter) {
        return ObservationQueries.ofPatient(observations.read(), patient.value(), filter, null, 100).stream()
                .map(Observation::observationId).toList();
    }

    private ObservationRecorded heartRate(ObservationId id, Coding code, Instant at, String value) {
        return new ObservationRecorded(id, patient, encounter, facility, code, "vital-signs", at,
                new Quantity(new BigDecimal(value), "/min"), NORMAL_RATE);
    }

    /** A laboratory result without an encounter or a reference range. */
    private ObservationRecorded glucose(ObservationId id, Instant at, String value) {
        return new ObservationRecorded(id, patient, null, null, GLUCOSE, "laboratory", at,
                new Quantity(new BigDecimal(value), "mmol/L"), null);
    }

    /** A quantity in the contract's value form, as the queries answer it. */
    private static JsonNode quantity(String value, String unit) {
        return ObservationTable.tree("{\"quantity\": {\"value\": " + value + ", \"unit\": \"" + unit + "\"}}");
    }

    private static ObservationId newId() {
        return new ObservationId(UUID.randomUUID());
    }
}
