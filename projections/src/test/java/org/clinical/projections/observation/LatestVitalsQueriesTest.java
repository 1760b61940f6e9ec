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
import org.clinical.projections.observation.LatestVitalsQueries.LatestVital;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LatestVitalsQueries} over the latest vital signs the observations projection kept from stored events,
 * read as the query side reads them. One tenant for the class; each test has a patient of its own.
 */
class LatestVitalsQueriesTest {

    private static final Coding HEART_RATE = new Coding("http://loinc.org", "8867-4", "Heart rate");
    private static final Coding RESPIRATORY_RATE = new Coding("http://loinc.org", "9279-1", "Respiratory rate");
    private static final Coding WARD_PAIN_SCORE = new Coding("urn:local:ward", "pain", null);
    private static final Coding BODY_TEMPERATURE = new Coding("http://loinc.org", "8310-5", "Body temperature");
    private static final Coding GLUCOSE = new Coding("http://loinc.org", "2339-0", "Glucose");
    private static final ReferenceRange NORMAL_RATE = new ReferenceRange(new BigDecimal("60"), new BigDecimal("100"));
    private static final Instant EIGHT = Instant.parse("2025-03-01T08:00:00Z");
    private static final Instant NINE = Instant.parse("2025-03-01T09:00:00Z");
    private static final Instant TEN = Instant.parse("2025-03-01T10:00:00Z");
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
    void the_newest_vital_of_each_code_comes_by_code_system_and_code_and_a_laboratory_result_is_no_vital() {
        ObservationRecorded olderPulse = pulse(NINE, "70");
        ObservationRecorded pulse = pulse(TEN, "72");
        ObservationRecorded breathing = vital(RESPIRATORY_RATE, EIGHT, "16", "/min");
        ObservationRecorded pain = vital(WARD_PAIN_SCORE, NINE, "3", "{score}");
        ObservationRecorded temperature = vital(BODY_TEMPERATURE, NINE, "37.2", "Cel");
        observations.apply(pain, pulse, breathing, temperature, olderPulse,
                new ObservationRecorded(newId(), patient, null, null, GLUCOSE, "laboratory", TEN,
                        new Quantity(new BigDecimal("5.4"), "mmol/L"), null),
                pulseOf(new PatientId(UUID.randomUUID()), TEN, "99"));

        List<LatestVital> expected = List.of(pulse, breathing, pain, temperature).stream()
                .sorted(Comparator.comparing((ObservationRecorded o) -> o.code().system())
                        .thenComparing(o -> o.code().code()))
                .map(o -> latest(o, "final")).toList();
        assertThat(LatestVitalsQueries.ofPatient(observations.read(), patient.value())).isEqualTo(expected)
                .extracting(LatestVital::code).containsExactly("8310-5", "8867-4", "9279-1", "pain");
    }

    @Test
    void an_older_vital_recorded_later_does_not_replace_the_newest() {
        ObservationRecorded pulse = pulse(TEN, "72");
        observations.apply(pulse);
        observations.apply(pulse(NINE, "90"));

        assertThat(LatestVitalsQueries.ofPatient(observations.read(), patient.value()))
                .containsExactly(latest(pulse, "final"));
    }

    @Test
    void an_amended_latest_vital_answers_its_amended_value_status_and_interpretation() {
        ObservationRecorded pulse = pulse(TEN, "72");
        observations.apply(pulse);
        observations.apply(new ObservationAmended(pulse.observationId(), patient,
                new Quantity(new BigDecimal("130"), "/min"), null, "transcription error", CORRECTED));

        assertThat(LatestVitalsQueries.ofPatient(observations.read(), patient.value())).containsExactly(
                new LatestVital("http://loinc.org", "8867-4", "Heart rate", pulse.observationId().value(), TEN,
                        quantity("130", "/min"), "amended", "H"));
    }

    @Test
    void when_the_latest_vital_is_entered_in_error_the_newest_valid_one_of_its_code_takes_its_place() {
        ObservationRecorded first = pulse(EIGHT, "70");
        ObservationRecorded second = pulse(NINE, "75");
        ObservationRecorded third = pulse(TEN, "80");
        observations.apply(first, second, third);
        observations.apply(new ObservationAmended(second.observationId(), patient,
                new Quantity(new BigDecimal("50"), "/min"), null, "re-counted", CORRECTED));

        observations.apply(inError(third));
        assertThat(LatestVitalsQueries.ofPatient(observations.read(), patient.value())).containsExactly(
                new LatestVital("http://loinc.org", "8867-4", "Heart rate", second.observationId().value(), NINE,
                        quantity("50", "/min"), "amended", "L"));

        observations.apply(inError(second));
        assertThat(LatestVitalsQueries.ofPatient(observations.read(), patient.value()))
                .containsExactly(latest(first, "final"));

        observations.apply(inError(first));
        assertThat(LatestVitalsQueries.ofPatient(observations.read(), patient.value())).isEmpty();
    }

    @Test
    void an_older_vital_entered_in_error_leaves_the_latest_as_it_is() {
        ObservationRecorded older = pulse(NINE, "70");
        ObservationRecorded pulse = pulse(TEN, "72");
        observations.apply(older, pulse);

        observations.apply(inError(older));

        assertThat(LatestVitalsQueries.ofPatient(observations.read(), patient.value()))
                .containsExactly(latest(pulse, "final"));
    }

    @Test
    void a_patient_without_vital_signs_has_none() {
        assertThat(LatestVitalsQueries.ofPatient(observations.read(), patient.value())).isEmpty();
    }

    /** What the query answers for a vital sign recorded with a quantity. */
    private static LatestVital latest(ObservationRecorded o, String status) {
        Quantity q = (Quantity) o.value();
        return new LatestVital(o.code().system(), o.code().code(), o.code().display(), o.observationId().value(),
                o.effectiveAt(), quantity(q.value().toPlainString(), q.unit()), status,
                o.referenceRange() == null ? null : o.referenceRange().interpret(q.value()).name());
    }

    private ObservationRecorded pulse(Instant at, String value) {
        return pulseOf(patient, at, value);
    }

    private ObservationRecorded pulseOf(PatientId who, Instant at, String value) {
        return new ObservationRecorded(newId(), who, encounter, facility, HEART_RATE, "vital-signs", at,
                new Quantity(new BigDecimal(value), "/min"), NORMAL_RATE);
    }

    /** A vital sign without a reference range. */
    private ObservationRecorded vital(Coding code, Instant at, String value, String unit) {
        return new ObservationRecorded(newId(), patient, encounter, facility, code, "vital-signs", at,
                new Quantity(new BigDecimal(value), unit), null);
    }

    private ObservationEnteredInError inError(ObservationRecorded o) {
        return new ObservationEnteredInError(o.observationId(), patient, "wrong patient", CORRECTED);
    }

    private static JsonNode quantity(String value, String unit) {
        return ObservationTable.tree("{\"quantity\": {\"value\": " + value + ", \"unit\": \"" + unit + "\"}}");
    }

    private static ObservationId newId() {
        return new ObservationId(UUID.randomUUID());
    }
}
