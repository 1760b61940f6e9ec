package org.clinical.projections.encounter;

import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.encounter.EncounterDailyQueries.DailyCount;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EncounterDailyQueries} over the daily counts the encounters projection wrote from stored events, read as
 * the query side reads them; expected counts are computed here from the encounters started and not cancelled.
 * One tenant for the class, each test reading a month of its own; the region's sum adds a second tenant.
 */
class EncounterDailyQueriesTest {

    private static final FacilityId NORTH = new FacilityId(UUID.randomUUID());
    private static final FacilityId SOUTH = new FacilityId(UUID.randomUUID());

    private static ProjectionHarness encounters;

    @BeforeAll
    static void start() {
        encounters = ProjectionHarness.start(EncounterProjection.READ_MODEL, EncounterProjection::new);
    }

    @AfterAll
    static void stop() {
        encounters.close();
    }

    @Test
    void encounters_count_on_the_utc_day_they_started_over_every_facility_and_class_with_days_in_order() {
        List<EncounterStarted> started = List.of(
                started(NORTH, EncounterClass.IMP, "2024-01-01T00:00:00Z"),
                started(SOUTH, EncounterClass.EMER, "2024-01-01T23:59:59Z"),
                started(NORTH, EncounterClass.AMB, "2024-01-02T00:00:00Z"),
                started(NORTH, EncounterClass.IMP, "2024-01-04T12:00:00Z"),
                started(SOUTH, EncounterClass.IMP, "2024-01-04T13:00:00Z"));
        encounters.apply(started.toArray());

        assertThat(EncounterDailyQueries.tenant(encounters.read(), day("2024-01-01"), day("2024-01-31"), null, null,
                100)).isEqualTo(counts(started)).hasSize(3);
    }

    @Test
    void a_cancelled_encounter_is_not_counted_a_discharged_one_is_and_a_day_left_without_any_is_left_out() {
        List<EncounterStarted> started = List.of(
                started(NORTH, EncounterClass.IMP, "2024-02-01T08:00:00Z"),
                started(NORTH, EncounterClass.IMP, "2024-02-01T09:00:00Z"),
                started(NORTH, EncounterClass.IMP, "2024-02-01T10:00:00Z"),
                started(SOUTH, EncounterClass.EMER, "2024-02-02T08:00:00Z"));
        EncounterStarted discharged = started.get(0);
        List<EncounterStarted> cancelled = List.of(started.get(1), started.get(3));
        encounters.apply(started.toArray());
        Instant later = at("2024-02-03T08:00:00Z");
        encounters.apply(Stream.concat(
                Stream.of(new PatientDischarged(discharged.encounterId(), discharged.patientId(), later, "home")),
                cancelled.stream().map(e -> new EncounterCancelled(e.encounterId(), e.patientId(), "registered twice",
                        later))).toArray());

        assertThat(EncounterDailyQueries.tenant(encounters.read(), day("2024-02-01"), day("2024-02-29"), null, null,
                100)).isEqualTo(counts(started.stream().filter(e -> !cancelled.contains(e)).toList()))
                .containsExactly(new DailyCount(day("2024-02-01"), 2));
    }

    @Test
    void a_facility_and_a_class_narrow_the_count() {
        List<EncounterStarted> started = List.of(
                started(NORTH, EncounterClass.IMP, "2024-03-01T08:00:00Z"),
                started(NORTH, EncounterClass.EMER, "2024-03-01T09:00:00Z"),
                started(SOUTH, EncounterClass.IMP, "2024-03-01T10:00:00Z"),
                started(SOUTH, EncounterClass.IMP, "2024-03-02T10:00:00Z"),
                started(NORTH, EncounterClass.EMER, "2024-03-03T10:00:00Z"));
        encounters.apply(started.toArray());
        LocalDate from = day("2024-03-01");
        LocalDate to = day("2024-03-31");

        assertThat(EncounterDailyQueries.tenant(encounters.read(), from, to, NORTH.value(), null, 100))
                .isEqualTo(counts(started, e -> e.facilityId().equals(NORTH)));
        assertThat(EncounterDailyQueries.tenant(encounters.read(), from, to, null, EncounterClass.IMP, 100))
                .isEqualTo(counts(started, e -> e.encounterClass() == EncounterClass.IMP));
        assertThat(EncounterDailyQueries.tenant(encounters.read(), from, to, SOUTH.value(), EncounterClass.IMP, 100))
                .isEqualTo(counts(started,
                        e -> e.facilityId().equals(SOUTH) && e.encounterClass() == EncounterClass.IMP));
        assertThat(EncounterDailyQueries.tenant(encounters.read(), from, to, SOUTH.value(), EncounterClass.EMER, 100))
                .isEmpty();
    }

    @Test
    void only_days_from_from_to_to_inclusive_are_counted_and_limit_caps_the_days() {
        List<EncounterStarted> started = Stream.of("2024-04-01", "2024-04-02", "2024-04-03", "2024-04-03",
                "2024-04-04", "2024-04-05").map(d -> started(NORTH, EncounterClass.AMB, d + "T12:00:00Z")).toList();
        encounters.apply(started.toArray());
        LocalDate from = day("2024-04-02");
        LocalDate to = day("2024-04-04");
        List<DailyCount> inRange = counts(started, e -> !dayOf(e).isBefore(from) && !dayOf(e).isAfter(to));

        assertThat(EncounterDailyQueries.tenant(encounters.read(), from, to, null, null, 100)).isEqualTo(inRange)
                .hasSize(3);
        assertThat(EncounterDailyQueries.tenant(encounters.read(), from, to, null, null, 2))
                .isEqualTo(inRange.subList(0, 2));
        assertThat(EncounterDailyQueries.tenant(encounters.read(), from, from, null, null, 100))
                .isEqualTo(inRange.subList(0, 1));
    }

    @Test
    void the_region_sums_the_days_of_several_tenants_schemas_cancelled_encounters_excluded() {
        try (ProjectionHarness other = ProjectionHarness.start(EncounterProjection.READ_MODEL,
                EncounterProjection::new)) {
            List<EncounterStarted> here = List.of(
                    started(NORTH, EncounterClass.IMP, "2024-05-01T08:00:00Z"),
                    started(NORTH, EncounterClass.IMP, "2024-05-02T08:00:00Z"),
                    started(SOUTH, EncounterClass.EMER, "2024-05-04T08:00:00Z"));
            List<EncounterStarted> there = List.of(
                    started(NORTH, EncounterClass.IMP, "2024-05-01T23:00:00Z"),
                    started(NORTH, EncounterClass.AMB, "2024-05-03T08:00:00Z"),
                    started(SOUTH, EncounterClass.EMER, "2024-05-04T08:00:00Z"));
            EncounterStarted cancelled = here.get(1);
            encounters.apply(here.toArray());
            encounters.apply(new EncounterCancelled(cancelled.encounterId(), cancelled.patientId(), "registered twice",
                    at("2024-05-02T09:00:00Z")));
            other.apply(there.toArray());
            List<String> schemas = List.of(encounters.schema(), other.schema());
            LocalDate from = day("2024-05-01");
            LocalDate to = day("2024-05-31");
            List<DailyCount> summed = counts(Stream.concat(here.stream().filter(e -> e != cancelled), there.stream())
                    .toList());

            assertThat(EncounterDailyQueries.region(encounters.region(), schemas, from, to, 100)).isEqualTo(summed)
                    .hasSize(3);
            assertThat(EncounterDailyQueries.region(encounters.region(), schemas, from, to, 2))
                    .isEqualTo(summed.subList(0, 2));
            assertThat(EncounterDailyQueries.region(encounters.region(), List.of(other.schema()), from, to, 100))
                    .isEqualTo(counts(there));
            assertThat(EncounterDailyQueries.region(encounters.region(), List.of(), from, to, 100)).isEmpty();
        }
    }

    /** The days of these encounters with how many started on each, in order. */
    private static List<DailyCount> counts(Collection<EncounterStarted> started) {
        Map<LocalDate, Long> perDay = started.stream().collect(Collectors.groupingBy(
                EncounterDailyQueriesTest::dayOf, TreeMap::new, Collectors.counting()));
        return perDay.entrySet().stream().map(e -> new DailyCount(e.getKey(), e.getValue())).toList();
    }

    private static List<DailyCount> counts(Collection<EncounterStarted> started, Predicate<EncounterStarted> which) {
        return counts(started.stream().filter(which).toList());
    }

    private static LocalDate dayOf(EncounterStarted e) {
        return LocalDate.ofInstant(e.startedAt(), ZoneOffset.UTC);
    }

    private static EncounterStarted started(FacilityId facility, EncounterClass encounterClass, String at) {
        return new EncounterStarted(new EncounterId(UUID.randomUUID()), new PatientId(UUID.randomUUID()),
                encounterClass, facility, "Ward 1", at(at), null);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    private static LocalDate day(String day) {
        return LocalDate.parse(day);
    }
}
