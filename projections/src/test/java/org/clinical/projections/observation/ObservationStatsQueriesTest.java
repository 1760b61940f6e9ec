package org.clinical.projections.observation;

import org.clinical.events.common.Coding;
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
import org.clinical.events.patient.PatientId;
import org.clinical.projections.observation.ObservationStatsQueries.DayStats;
import org.clinical.projections.observation.ObservationStatsQueries.FacilityStats;
import org.clinical.projections.observation.ObservationStatsQueries.Filter;
import org.clinical.projections.observation.ObservationStatsQueries.Stats;
import org.clinical.projections.support.ProjectionHarness;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ObservationStatsQueries} over the rollup the observations projection wrote from stored events, read as the
 * query side reads it. What each answer should be is computed here from the values recorded: count, min, max and
 * mean exactly, p50 and p95 within {@link StatsBuckets#ALPHA} of the sample at rank {@code floor(q * (n - 1))}. One
 * tenant for the class; each test counts codes of its own.
 */
class ObservationStatsQueriesTest {

    private static final String LOINC = "http://loinc.org";
    private static final Instant FIRST_DAY = Instant.parse("2025-03-01T00:00:00Z");

    private static ProjectionHarness observations;

    private final Coding code = newCode();
    private final FacilityId north = new FacilityId(UUID.randomUUID());
    private final FacilityId south = new FacilityId(UUID.randomUUID());

    @BeforeAll
    static void start() {
        observations = ProjectionHarness.start(ObservationProjection.READ_MODEL, ObservationProjection::new);
    }

    @AfterAll
    static void stop() {
        observations.close();
    }

    @Test
    void count_min_max_and_mean_are_exact_and_p50_and_p95_are_within_one_percent_of_their_samples() {
        List<ObservationRecorded> recorded = spread(60, 1, "/min");
        observations.apply(recorded.toArray());

        assertStats(ObservationStatsQueries.overall(observations.read(), filter()).orElseThrow(), values(recorded),
                "/min");
    }

    @Test
    void grouped_by_day_each_utc_day_has_the_statistics_of_its_values_days_in_order() {
        List<ObservationRecorded> recorded = new ArrayList<>(spread(45, 2, "/min"));
        recorded.add(recorded(north, Instant.parse("2025-02-28T23:59:59Z"), "65", "/min"));
        recorded.add(recorded(north, Instant.parse("2025-03-03T00:00:00Z"), "66", "/min"));
        observations.apply(recorded.toArray());

        Map<LocalDate, List<ObservationRecorded>> byDay = group(recorded,
                o -> LocalDate.ofInstant(o.effectiveAt(), ZoneOffset.UTC), Comparator.<LocalDate>naturalOrder());
        List<DayStats> days = ObservationStatsQueries.byDay(observations.read(), filter());

        assertThat(days).extracting(DayStats::day).containsExactlyElementsOf(byDay.keySet()).hasSize(4);
        days.forEach(d -> assertStats(d.stats(), values(byDay.get(d.day())), "/min"));
    }

    @Test
    void grouped_by_facility_values_without_an_encounter_come_first_then_facilities_in_order() {
        List<ObservationRecorded> recorded = new ArrayList<>(spread(40, 3, "/min"));
        recorded.addAll(List.of(recorded(null, FIRST_DAY, "61", "/min"), recorded(null, FIRST_DAY, "88", "/min"),
                recorded(null, FIRST_DAY, "97.5", "/min")));
        observations.apply(recorded.toArray());

        Map<UUID, List<ObservationRecorded>> byFacility = group(recorded, o -> o.facilityId() == null ? null
                : o.facilityId().value(), Comparator.nullsFirst(Comparator.comparing(UUID::toString)));
        List<FacilityStats> facilities = ObservationStatsQueries.byFacility(observations.read(), filter());

        assertThat(facilities).extracting(FacilityStats::facilityId).containsExactlyElementsOf(byFacility.keySet())
                .hasSize(3).first().isNull();
        facilities.forEach(f -> assertStats(f.stats(), values(byFacility.get(f.facilityId())), "/min"));
    }

    @Test
    void from_and_to_are_inclusive_utc_days_and_a_system_narrows_the_code() {
        List<ObservationRecorded> recorded = spread(50, 4, "/min");
        Coding local = new Coding("urn:local:vitals", code.code(), "Pulse");
        ObservationRecorded elsewhere = new ObservationRecorded(newId(), new PatientId(UUID.randomUUID()), null, null,
                local, "vital-signs", FIRST_DAY.plus(Duration.ofHours(30)), quantity("200", "/min"), null);
        observations.apply(recorded.toArray());
        observations.apply(elsewhere);
        LocalDate from = LocalDate.of(2025, 3, 2);
        LocalDate to = LocalDate.of(2025, 3, 3);
        List<ObservationRecorded> inRange = recorded.stream().filter(o -> {
            LocalDate day = LocalDate.ofInstant(o.effectiveAt(), ZoneOffset.UTC);
            return !day.isBefore(from) && !day.isAfter(to);
        }).toList();
        List<ObservationRecorded> anySystem = new ArrayList<>(inRange);
        anySystem.add(elsewhere);

        assertStats(ObservationStatsQueries.overall(observations.read(), new Filter(LOINC, code.code(), from, to))
                .orElseThrow(), values(inRange), "/min");
        assertStats(ObservationStatsQueries.overall(observations.read(), new Filter(null, code.code(), from, to))
                .orElseThrow(), values(anySystem), "/min");
        assertStats(ObservationStatsQueries.overall(observations.read(), new Filter(LOINC, code.code(), to, null))
                .orElseThrow(), values(recorded.stream().filter(o -> !o.effectiveAt().isBefore(
                        to.atStartOfDay(ZoneOffset.UTC).toInstant())).toList()), "/min");
    }

    @Test
    void entered_in_error_values_leave_the_statistics_and_amended_ones_count_with_their_amended_value() {
        List<ObservationRecorded> recorded = spread(30, 5, "/min");
        observations.apply(recorded.toArray());
        ObservationRecorded highest = recorded.stream().max(Comparator.comparing(ObservationStatsQueriesTest::value))
                .orElseThrow();
        ObservationRecorded lowest = recorded.stream().min(Comparator.comparing(ObservationStatsQueriesTest::value))
                .orElseThrow();
        ObservationRecorded notMeasured = recorded.stream().filter(o -> o != highest && o != lowest).findFirst()
                .orElseThrow();
        BigDecimal corrected = new BigDecimal("101.5");

        Instant later = FIRST_DAY.plus(Duration.ofDays(9));
        observations.apply(
                new ObservationEnteredInError(highest.observationId(), highest.patientId(), "wrong patient", later),
                new ObservationAmended(lowest.observationId(), lowest.patientId(), new Quantity(corrected, "/min"),
                        null, "re-counted", later),
                new ObservationAmended(notMeasured.observationId(), notMeasured.patientId(),
                        new ObservationValue.StringValue("not measurable"), null, "probe fell off", later));

        List<BigDecimal> counted = new ArrayList<>(recorded.stream()
                .filter(o -> o != highest && o != lowest && o != notMeasured).map(ObservationStatsQueriesTest::value)
                .toList());
        counted.add(corrected);
        assertStats(ObservationStatsQueries.overall(observations.read(), filter()).orElseThrow(), counted, "/min");
    }

    @Test
    void values_of_several_units_have_no_unit_until_those_of_one_unit_are_left() {
        List<ObservationRecorded> sameUnit = spread(10, 6, "mg/dL");
        ObservationRecorded otherUnit = recorded(north, FIRST_DAY, "5.4", "mmol/L");
        observations.apply(sameUnit.toArray());
        observations.apply(otherUnit);
        List<BigDecimal> all = new ArrayList<>(values(sameUnit));
        all.add(value(otherUnit));

        assertStats(ObservationStatsQueries.overall(observations.read(), filter()).orElseThrow(), all, null);
        assertThat(ObservationStatsQueries.byFacility(observations.read(), filter()))
                .extracting(f -> f.stats().unit()).containsExactlyInAnyOrder("mg/dL", null);

        observations.apply(new ObservationEnteredInError(otherUnit.observationId(), otherUnit.patientId(),
                "wrong unit", FIRST_DAY.plus(Duration.ofDays(9))));

        assertStats(ObservationStatsQueries.overall(observations.read(), filter()).orElseThrow(), values(sameUnit),
                "mg/dL");
    }

    @Test
    void a_panels_quantity_components_count_under_their_own_codes() {
        Coding systolic = newCode();
        Coding diastolic = newCode();
        List<ObservationRecorded> panels = IntStream.range(0, 12).mapToObj(i -> new ObservationRecorded(newId(),
                new PatientId(UUID.randomUUID()), new EncounterId(UUID.randomUUID()), north, code, "vital-signs",
                FIRST_DAY.plus(Duration.ofHours(i)), new Components(List.of(
                        new Component(systolic, quantity(String.valueOf(110 + 3 * i), "mm[Hg]")),
                        new Component(diastolic, quantity(String.valueOf(70 + 2 * i), "mm[Hg]")),
                        new Component(newCode(), new ObservationValue.StringValue("sitting")))), null)).toList();
        observations.apply(panels.toArray());

        assertStats(ObservationStatsQueries.overall(observations.read(), filter(systolic)).orElseThrow(),
                IntStream.range(0, 12).mapToObj(i -> BigDecimal.valueOf(110 + 3 * i)).toList(), "mm[Hg]");
        assertStats(ObservationStatsQueries.overall(observations.read(), filter(diastolic)).orElseThrow(),
                IntStream.range(0, 12).mapToObj(i -> BigDecimal.valueOf(70 + 2 * i)).toList(), "mm[Hg]");
        assertThat(ObservationStatsQueries.overall(observations.read(), filter())).isEmpty();
    }

    @Test
    void negative_zero_and_positive_values_keep_their_order_in_the_percentiles() {
        List<ObservationRecorded> recorded = IntStream.rangeClosed(-12, 8)
                .mapToObj(i -> recorded(north, FIRST_DAY.plus(Duration.ofMinutes(i + 12)), String.valueOf(i * 1.5),
                        "mmol/L"))
                .toList();
        observations.apply(recorded.toArray());

        assertStats(ObservationStatsQueries.overall(observations.read(), filter()).orElseThrow(), values(recorded),
                "mmol/L");
    }

    @Test
    void a_code_without_values_left_has_no_statistics_and_no_groups() {
        ObservationRecorded only = recorded(north, FIRST_DAY, "72", "/min");
        observations.apply(only);
        observations.apply(new ObservationEnteredInError(only.observationId(), only.patientId(), "wrong patient",
                FIRST_DAY.plus(Duration.ofDays(1))));

        assertThat(ObservationStatsQueries.overall(observations.read(), filter())).isEmpty();
        assertThat(ObservationStatsQueries.byDay(observations.read(), filter())).isEmpty();
        assertThat(ObservationStatsQueries.byFacility(observations.read(), filter())).isEmpty();
        assertThat(ObservationStatsQueries.overall(observations.read(), filter(newCode()))).isEmpty();
    }

    /** Exact where the statistics are exact; p50 and p95 within one percent of the sample at their rank. */
    private static void assertStats(Stats stats, List<BigDecimal> values, String unit) {
        List<BigDecimal> sorted = values.stream().sorted().toList();
        BigDecimal sum = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(stats.count()).isEqualTo(values.size());
        assertThat(stats.min()).isEqualByComparingTo(sorted.getFirst());
        assertThat(stats.max()).isEqualByComparingTo(sorted.getLast());
        assertThat(stats.mean()).isCloseTo(sum.doubleValue() / values.size(), within(1e-9));
        assertThat(stats.p50()).as("p50").isCloseTo(sample(sorted, 0.50), withinAlpha(sample(sorted, 0.50)));
        assertThat(stats.p95()).as("p95").isCloseTo(sample(sorted, 0.95), withinAlpha(sample(sorted, 0.95)));
        assertThat(stats.unit()).isEqualTo(unit);
    }

    private static double sample(List<BigDecimal> sorted, double q) {
        return sorted.get((int) Math.floor(q * (sorted.size() - 1))).doubleValue();
    }

    private static Offset<Double> withinAlpha(double sample) {
        return within(Math.abs(sample) * StatsBuckets.ALPHA * (1 + 1e-9));
    }

    /**
     * {@code n} heart-rate-like values, one decimal, over {@code days} UTC days (several hours each) and both
     * facilities, the same each run.
     */
    private List<ObservationRecorded> spread(int n, int days, String unit) {
        Random random = new Random(n * 31L + days);
        return IntStream.range(0, n).mapToObj(i -> recorded(i % 2 == 0 ? north : south,
                FIRST_DAY.plus(Duration.ofDays(i % days)).plus(Duration.ofMinutes(random.nextInt(24 * 60))),
                BigDecimal.valueOf(400 + random.nextInt(1400), 1).toPlainString(), unit)).toList();
    }

    private ObservationRecorded recorded(FacilityId facility, Instant at, String value, String unit) {
        return new ObservationRecorded(newId(), new PatientId(UUID.randomUUID()),
                facility == null ? null : new EncounterId(UUID.randomUUID()), facility, code, "vital-signs", at,
                quantity(value, unit), null);
    }

    private static <K> Map<K, List<ObservationRecorded>> group(Collection<ObservationRecorded> recorded,
                                                               Function<ObservationRecorded, K> key,
                                                               Comparator<K> order) {
        Map<K, List<ObservationRecorded>> groups = new TreeMap<>(order);
        recorded.forEach(o -> groups.computeIfAbsent(key.apply(o), k -> new ArrayList<>()).add(o));
        return groups;
    }

    private static List<BigDecimal> values(Collection<ObservationRecorded> recorded) {
        return recorded.stream().map(ObservationStatsQueriesTest::value).toList();
    }

    private static BigDecimal value(ObservationRecorded o) {
        return ((Quantity) o.value()).value();
    }

    private Filter filter() {
        return filter(code);
    }

    private static Filter filter(Coding code) {
        return new Filter(code.system(), code.code(), null, null);
    }

    private static Quantity quantity(String value, String unit) {
        return new Quantity(new BigDecimal(value), unit);
    }

    /** A code of this test alone: the statistics are the tenant's, shared by every test of the class. */
    private static Coding newCode() {
        return new Coding(LOINC, "test-" + UUID.randomUUID(), "Test value");
    }

    private static ObservationId newId() {
        return new ObservationId(UUID.randomUUID());
    }
}
