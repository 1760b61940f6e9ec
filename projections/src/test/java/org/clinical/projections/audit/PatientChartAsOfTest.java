package org.clinical.projections.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterEvent.PatientTransferred;
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
import org.clinical.events.patient.Identifier;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.events.patient.Telecom;
import org.clinical.infra.eventstore.ClinicalSerializer;
import org.clinical.infra.eventstore.PatientRegisteredUpcaster;
import org.clinical.projections.encounter.EncounterQueries.OpenEncounter;
import org.clinical.projections.observation.LatestVitalsQueries.VitalSign;
import org.clinical.projections.audit.PatientChartAsOf.Chart;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart as of an instant, folded from the stored events (docs/read-models.md, "audit", "As of"): every
 * kind of event, the per-record cut at the recording time (robust to a skewed clock), the clinical view at an
 * effective time, merges, an old revision read through the upcaster, and a long chart.
 */
class PatientChartAsOfTest {

    /** Recording times: the stored time_stamp of what the harness appends. */
    private static final Instant R0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant R1 = R0.plus(Duration.ofHours(1));
    private static final Instant R2 = R0.plus(Duration.ofHours(2));
    private static final Instant R3 = R0.plus(Duration.ofHours(3));
    private static final Instant R4 = R0.plus(Duration.ofHours(4));
    private static final Instant R5 = R0.plus(Duration.ofHours(5));
    private static final Instant R6 = R0.plus(Duration.ofHours(6));
    private static final Instant R7 = R0.plus(Duration.ofHours(7));
    /** Clinical times, the same day. */
    private static final Instant C0800 = Instant.parse("2025-03-01T08:00:00Z");
    private static final Instant C0830 = Instant.parse("2025-03-01T08:30:00Z");
    private static final Instant C0900 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Instant C1230 = Instant.parse("2025-03-01T12:30:00Z");
    private static final Instant C1330 = Instant.parse("2025-03-01T13:30:00Z");
    private static final Instant C1530 = Instant.parse("2025-03-01T15:30:00Z");
    private static final Instant C1545 = Instant.parse("2025-03-01T15:45:00Z");
    private static final Instant C1550 = Instant.parse("2025-03-01T15:50:00Z");
    private static final Instant C1630 = Instant.parse("2025-03-01T16:30:00Z");

    private static final Coding HEART_RATE = new Coding("http://loinc.org", "8867-4", "Heart rate");
    private static final Coding BLOOD_PRESSURE = new Coding("http://loinc.org", "85354-9", null);
    private static final Coding GLUCOSE = new Coding("http://loinc.org", "2345-7", "Glucose");
    private static final ReferenceRange NORMAL_RATE = new ReferenceRange(new BigDecimal("60"), new BigDecimal("100"));
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private ProjectionHarness audit;
    private PatientChartAsOf charts;

    @BeforeEach
    void start() {
        audit = ProjectionHarness.start(AuditProjection.READ_MODEL, AuditProjection::new);
        charts = new PatientChartAsOf(ClinicalSerializer.create(),
                new EventUpcasterChain(new PatientRegisteredUpcaster()));
    }

    @AfterEach
    void stop() {
        audit.close();
    }

    @Test
    void every_kind_of_event_shows_in_the_chart_as_it_was_recorded_at_each_instant() {
        PatientId patient = new PatientId(UUID.randomUUID());
        EncounterId first = new EncounterId(UUID.randomUUID());
        EncounterId second = new EncounterId(UUID.randomUUID());
        EncounterId cancelled = new EncounterId(UUID.randomUUID());
        FacilityId facility = new FacilityId(UUID.randomUUID());
        ObservationId rate = new ObservationId(UUID.randomUUID());
        ObservationId laterRate = new ObservationId(UUID.randomUUID());
        ObservationId pressure = new ObservationId(UUID.randomUUID());
        ObservationId glucose = new ObservationId(UUID.randomUUID());
        PatientRegistered registered = new PatientRegistered(patient, new Mrn("MRN-1"),
                new HumanName("Lovelace", List.of("Ada", "Augusta")), LocalDate.of(1815, 12, 10), Gender.FEMALE,
                List.of(new Identifier("urn:ssn", "123")), List.of(), null);
        PatientDemographicsUpdated renamed = new PatientDemographicsUpdated(patient,
                new HumanName("Byron", List.of("Ada")), LocalDate.of(1815, 12, 10), Gender.FEMALE, List.of(),
                List.of(new Telecom("phone", "555-0100", "home")), null);
        Components bloodPressure = new Components(List.of(
                new Component(new Coding("http://loinc.org", "8480-6", "Systolic"), quantity("120.50", "mm[Hg]")),
                new Component(new Coding("http://loinc.org", "8462-4", "Diastolic"), quantity("80", "mm[Hg]"))));

        long p0 = last(audit.at(R0).apply(registered));
        long p1 = last(audit.at(R1).apply(renamed));
        long p2 = last(audit.at(R2).apply(
                new EncounterStarted(first, patient, EncounterClass.IMP, facility, "Ward 1", C0800, null),
                vital(rate, patient, first, HEART_RATE, C0830, quantity("80", "/min"), NORMAL_RATE)));
        long p3 = last(audit.at(R3).apply(new PatientTransferred(first, patient, "Ward 1", "Ward 2", C1230),
                vital(pressure, patient, first, BLOOD_PRESSURE, C0900, bloodPressure, null),
                new ObservationRecorded(glucose, patient, first, facility, GLUCOSE, "laboratory", C0900,
                        quantity("5.4", "mmol/L"), null)));
        long p4 = last(audit.at(R4).apply(
                new ObservationAmended(rate, patient, quantity("120", "/min"), null, "misread", R4),
                vital(laterRate, patient, first, HEART_RATE, C1330, quantity("85", "/min"), NORMAL_RATE)));
        long p5 = last(audit.at(R5).apply(new ObservationEnteredInError(laterRate, patient, "wrong patient", R5)));
        long p6 = last(audit.at(R6).apply(new PatientDischarged(first, patient, C1530, "home"),
                new EncounterStarted(second, patient, EncounterClass.AMB, facility, "Clinic 3", C1545, null),
                new EncounterStarted(cancelled, patient, EncounterClass.AMB, facility, null, C1550, null),
                new EncounterCancelled(cancelled, patient, "duplicate", R6)));
        long p7 = last(audit.at(R7).apply(new PatientDeceased(patient, C1630)));

        assertThat(chart(patient, R0.minusNanos(1_000), null)).as("nothing recorded yet").isEmpty();

        Chart atR0 = chart(patient, R0, null).orElseThrow();
        assertThat(atR0.family()).isEqualTo("Lovelace");
        assertThat(atR0.given()).containsExactly("Ada", "Augusta");
        assertThat(atR0.mrn()).isEqualTo("MRN-1");
        assertThat(atR0.birthDate()).isEqualTo(LocalDate.of(1815, 12, 10));
        assertThat(atR0.gender()).isEqualTo("female");
        assertThat(atR0.identifiers()).isEqualTo(PLAIN.valueToTree(registered.identifiers()));
        assertThat(atR0.telecom()).isEqualTo(PLAIN.valueToTree(List.of()));
        assertThat(atR0.address()).isNull();
        assertThat(atR0.active()).isTrue();
        assertThat(atR0.version()).isEqualTo(1);
        assertThat(atR0.openEncounter()).isNull();
        assertThat(atR0.latestVitals()).isEmpty();
        assertThat(atR0.position()).isEqualTo(p0);
        assertThat(atR0.events()).isEqualTo(1);
        assertThat(chart(patient, R1.minusNanos(1_000), null).orElseThrow()).isEqualTo(atR0);

        Chart atR1 = chart(patient, R1, null).orElseThrow();
        assertThat(atR1.family()).isEqualTo("Byron");
        assertThat(atR1.telecom()).isEqualTo(PLAIN.valueToTree(renamed.telecom()));
        assertThat(atR1.version()).isEqualTo(2);
        assertThat(atR1.position()).isEqualTo(p1);

        Chart atR2 = chart(patient, R2, null).orElseThrow();
        assertThat(atR2.openEncounter()).isEqualTo(
                new OpenEncounter(first.value(), "IMP", facility.value(), "Ward 1", C0800, 1));
        assertThat(atR2.latestVitals()).containsExactly(
                vitalSign(HEART_RATE, rate, C0830, "{\"quantity\": {\"value\": 80, \"unit\": \"/min\"}}", "final", "N"));
        assertThat(atR2.position()).isEqualTo(p2);

        Chart atR3 = chart(patient, R3, null).orElseThrow();
        assertThat(atR3.openEncounter().location()).isEqualTo("Ward 2");
        assertThat(atR3.openEncounter().version()).isEqualTo(2);
        assertThat(atR3.latestVitals()).as("by code point of the code; the laboratory result is no vital sign")
                .extracting(v -> v.code().get("code").asText()).containsExactly("85354-9", "8867-4");
        assertThat(atR3.latestVitals().get(0)).isEqualTo(vitalSign(BLOOD_PRESSURE, pressure, C0900,
                json(bloodPressure), "final", null));
        assertThat(atR3.latestVitals().get(0).value().at("/components/0/value/quantity/value").decimalValue())
                .as("the stored scale is kept").isEqualTo(new BigDecimal("120.50"));
        assertThat(atR3.events()).isEqualTo(7);

        assertThat(chart(patient, R4, null).orElseThrow().latestVitals().get(1)).as("the newer heart rate wins")
                .isEqualTo(vitalSign(HEART_RATE, laterRate, C1330, "{\"quantity\": {\"value\": 85, \"unit\": \"/min\"}}",
                        "final", "N"));
        assertThat(chart(patient, R5, null).orElseThrow().latestVitals().get(1))
                .as("entered in error: the amended older one is back, with the range it kept")
                .isEqualTo(vitalSign(HEART_RATE, rate, C0830, "{\"quantity\": {\"value\": 120, \"unit\": \"/min\"}}",
                        "amended", "H"));
        assertThat(chart(patient, R5, null).orElseThrow().position()).isEqualTo(p5);
        assertThat(p4).isLessThan(p5);

        Chart atR6 = chart(patient, R6, null).orElseThrow();
        assertThat(atR6.openEncounter()).as("the first discharged, the newest cancelled")
                .isEqualTo(new OpenEncounter(second.value(), "AMB", facility.value(), "Clinic 3", C1545, 1));
        assertThat(atR6.deceasedAt()).isNull();

        Chart now = chart(patient, R7, null).orElseThrow();
        assertThat(now.deceasedAt()).isEqualTo(C1630);
        assertThat(now.version()).isEqualTo(3);
        assertThat(now.position()).isEqualTo(p7);
        assertThat(now.events()).isEqualTo(15);
        assertThat(chart(patient, R7.plus(Duration.ofDays(1)), null).orElseThrow()).isEqualTo(now);
        assertThat(p6).isLessThan(p7);

        // clinically as of an instant, as known at R7
        Chart atNoon = chart(patient, R7, Instant.parse("2025-03-01T12:00:00Z")).orElseThrow();
        assertThat(atNoon.openEncounter()).as("before the transfer's time, though it is recorded")
                .isEqualTo(new OpenEncounter(first.value(), "IMP", facility.value(), "Ward 1", C0800, 3));
        assertThat(atNoon.latestVitals()).extracting(VitalSign::observationId)
                .containsExactly(pressure.value(), rate.value());
        assertThat(atNoon.latestVitals().get(1).status()).as("the amendment as known now").isEqualTo("amended");
        assertThat(atNoon.deceasedAt()).isNull();
        assertThat(atNoon.version()).as("the record's version as recorded").isEqualTo(3);
        assertThat(atNoon.position()).isEqualTo(p7);

        assertThat(chart(patient, R7, C1230).orElseThrow().openEncounter().location()).isEqualTo("Ward 2");
        assertThat(chart(patient, R7, C1545.minusSeconds(60)).orElseThrow().openEncounter())
                .as("discharged at 15:30, the next not started").isNull();
        assertThat(chart(patient, R7, C1550).orElseThrow().openEncounter().encounterId())
                .as("a cancelled encounter never was").isEqualTo(second.value());
        assertThat(chart(patient, R7, C1630).orElseThrow().deceasedAt()).isEqualTo(C1630);
        assertThat(chart(patient, R7, C0800.minusSeconds(1)).orElseThrow().openEncounter()).isNull();
        assertThat(chart(patient, R7, C0800.minusSeconds(1)).orElseThrow().latestVitals()).isEmpty();
        assertThat(chart(patient, R3, Instant.parse("2025-03-01T12:00:00Z")).orElseThrow().latestVitals())
                .as("as known at R3: the heart rate not amended yet").element(1)
                .isEqualTo(vitalSign(HEART_RATE, rate, C0830, "{\"quantity\": {\"value\": 80, \"unit\": \"/min\"}}",
                        "final", "N"));
    }

    @Test
    void a_record_counts_up_to_its_last_event_stamped_by_the_instant_even_when_an_earlier_one_is_stamped_later() {
        PatientId patient = new PatientId(UUID.randomUUID());
        audit.at(R0).apply(registered(patient, "Lovelace"));
        audit.at(R3).apply(renamed(patient, "Skewed"));
        long corrected = last(audit.at(R1).apply(renamed(patient, "Byron")));

        assertThat(chart(patient, R2, null).orElseThrow()).satisfies(c -> {
            assertThat(c.family()).as("event 3 was stamped by R2: events 2 and 3 were recorded").isEqualTo("Byron");
            assertThat(c.version()).isEqualTo(3);
            assertThat(c.position()).isEqualTo(corrected);
        });
        assertThat(chart(patient, R0, null).orElseThrow().family()).isEqualTo("Lovelace");
    }

    @Test
    void a_merged_patient_keeps_its_own_records_and_the_merge_shows_from_its_time() {
        PatientId merged = new PatientId(UUID.randomUUID());
        PatientId survivor = new PatientId(UUID.randomUUID());
        EncounterId encounter = new EncounterId(UUID.randomUUID());
        ObservationId rate = new ObservationId(UUID.randomUUID());
        audit.at(R0).apply(registered(merged, "Lovelace"), registered(survivor, "Byron"));
        audit.at(R1).apply(new EncounterStarted(encounter, merged, EncounterClass.AMB,
                        new FacilityId(UUID.randomUUID()), null, C0800, null),
                vital(rate, merged, encounter, HEART_RATE, C0830, quantity("72", "/min"), null));
        audit.at(R2).apply(new PatientMerged(merged, survivor, R2));

        Chart mergedChart = chart(merged, R3, null).orElseThrow();
        assertThat(mergedChart.active()).isFalse();
        assertThat(mergedChart.mergedInto()).isEqualTo(survivor.value());
        assertThat(mergedChart.openEncounter().encounterId()).isEqualTo(encounter.value());
        assertThat(mergedChart.latestVitals()).extracting(VitalSign::observationId).containsExactly(rate.value());
        assertThat(chart(merged, R1, null).orElseThrow().active()).isTrue();
        assertThat(chart(merged, R3, R1).orElseThrow()).as("clinically before the merge's time").satisfies(c -> {
            assertThat(c.active()).isTrue();
            assertThat(c.mergedInto()).isNull();
        });

        Chart survivorChart = chart(survivor, R3, null).orElseThrow();
        assertThat(survivorChart.openEncounter()).as("as the live summary: the merged patient's records stay its own")
                .isNull();
        assertThat(survivorChart.latestVitals()).isEmpty();
        assertThat(survivorChart.active()).isTrue();
        assertThat(survivorChart.events()).isEqualTo(1);
    }

    @Test
    void an_old_revision_is_read_through_the_upcaster_chain() {
        PatientId patient = new PatientId(UUID.randomUUID());
        String payload = """
                {"patientId": "%s", "mrn": "MRN-OLD", "name": {"family": "Old", "given": ["Form"]},
                 "birthDate": "1950-01-02", "gender": "other", "telecom": [], "address": null}"""
                .formatted(patient);
        String schema = audit.read().tenant().schema();
        long position = audit.value("""
                insert into %s.domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                    time_stamp, payload_type, payload_revision, payload, meta_data)
                values (?, ?, 0, 'Patient', '2025-03-01T10:00:00.000000Z', 'PatientRegistered', '1', ?, ?)
                returning global_index""".formatted(schema), Long.class, UUID.randomUUID().toString(),
                patient.toString(), payload.getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8));
        audit.value("insert into {s}.audit_subject (aggregate_id, patient_id) values (?, ?) returning 1",
                Integer.class, patient.toString(), patient.value());
        audit.value("insert into {s}.audit_event (patient_id, position) values (?, ?) returning 1",
                Integer.class, patient.value(), position);

        Chart chart = chart(patient, R1, null).orElseThrow();
        assertThat(chart.identifiers()).as("revision 2 added identifiers").isEqualTo(PLAIN.createArrayNode());
        assertThat(chart.family()).isEqualTo("Old");
        assertThat(chart.gender()).isEqualTo("other");
        assertThat(chart.position()).isEqualTo(position);
    }

    @Test
    void a_chart_of_ten_thousand_events_folds_in_one_streamed_pass() {
        PatientId patient = new PatientId(UUID.randomUUID());
        List<Coding> codes = List.of(HEART_RATE, BLOOD_PRESSURE, GLUCOSE,
                new Coding("http://loinc.org", "8310-5", "Body temperature"),
                new Coding("http://loinc.org", "9279-1", "Respiratory rate"));
        audit.at(R0).apply(registered(patient, "Lovelace"));
        List<Object> observations = new ArrayList<>();
        List<ObservationId> ids = new ArrayList<>();
        for (int i = 0; i < 9_999; i++) {
            ObservationId id = new ObservationId(UUID.randomUUID());
            ids.add(id);
            observations.add(vital(id, patient, null, codes.get(i % codes.size()), C0800.plusSeconds(i),
                    quantity(Integer.toString(60 + i % 50), "/min"), NORMAL_RATE));
        }
        audit.at(R1).apply(observations.toArray());

        long best = Long.MAX_VALUE;
        Chart chart = null;
        for (int run = 0; run < 30; run++) {
            long started = System.nanoTime();
            chart = chart(patient, R2, null).orElseThrow();
            best = Math.min(best, System.nanoTime() - started);
        }
        System.out.printf("chart of %d events: best of 30 %.1f ms%n", chart.events(), best / 1e6);
        assertThat(chart.events()).isEqualTo(10_000);
        assertThat(chart.latestVitals()).hasSize(codes.size());
        assertThat(chart.latestVitals()).extracting(VitalSign::observationId).as("the last of each code")
                .containsExactlyInAnyOrderElementsOf(ids.subList(ids.size() - codes.size(), ids.size()).stream()
                        .map(ObservationId::value).toList());
    }

    private Optional<Chart> chart(PatientId patient, Instant asOf, Instant effectiveAsOf) {
        return charts.chart(audit.read(), patient.value(), asOf, effectiveAsOf);
    }

    private static long last(List<TrackedEventMessage<?>> batch) {
        return batch.get(batch.size() - 1).trackingToken().position().orElseThrow();
    }

    private static Quantity quantity(String value, String unit) {
        return new Quantity(new BigDecimal(value), unit);
    }

    private static ObservationRecorded vital(ObservationId id, PatientId patient, EncounterId encounter, Coding code,
                                             Instant effectiveAt, ObservationValue value, ReferenceRange range) {
        return new ObservationRecorded(id, patient, encounter, null, code, "vital-signs", effectiveAt, value, range);
    }

    private static VitalSign vitalSign(Coding code, ObservationId id, Instant effectiveAt, String value, String status,
                                       String interpretation) {
        var coding = PLAIN.createObjectNode().put("system", code.system()).put("code", code.code());
        if (code.display() == null) {
            coding.putNull("display");
        } else {
            coding.put("display", code.display());
        }
        return new VitalSign(coding, id.value(), effectiveAt, tree(value), status, interpretation);
    }

    private static String json(ObservationValue value) {
        try {
            return ClinicalSerializer.objectMapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return ClinicalSerializer.objectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static PatientRegistered registered(PatientId patient, String family) {
        return new PatientRegistered(patient, new Mrn("MRN-" + patient), new HumanName(family, List.of("Ada")),
                null, Gender.FEMALE, List.of(), List.of(), null);
    }

    private static PatientDemographicsUpdated renamed(PatientId patient, String family) {
        return new PatientDemographicsUpdated(patient, new HumanName(family, List.of("Ada")), null, Gender.FEMALE,
                List.of(), List.of(), null);
    }
}
