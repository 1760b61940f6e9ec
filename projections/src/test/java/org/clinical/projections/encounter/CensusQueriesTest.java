package org.clinical.projections.encounter;

import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterEvent.PatientTransferred;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.encounter.CensusQueries.CensusEncounter;
import org.clinical.projections.encounter.CensusQueries.Group;
import org.clinical.projections.encounter.CensusQueries.GroupPage;
import org.clinical.projections.encounter.CensusQueries.Place;
import org.clinical.projections.readmodel.Read;
import org.clinical.projections.support.CountedStatements;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CensusQueries} over the census the encounters projection wrote from stored events, read as the query side
 * reads it. One tenant for the class, each test with facilities of its own; reading every facility takes a tenant
 * of its own.
 */
class CensusQueriesTest {

    private static final Instant EARLY = Instant.parse("2025-03-01T06:00:00Z");
    private static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant LATE = Instant.parse("2025-03-01T22:00:00Z");
    private static final Instant NEXT_DAY = Instant.parse("2025-03-02T09:00:00Z");
    private static final Comparator<UUID> UUID_ORDER = Comparator.comparing(UUID::toString);

    private static ProjectionHarness encounters;

    private final FacilityId facility = newFacility();

    @BeforeAll
    static void start() {
        encounters = ProjectionHarness.start(EncounterProjection.READ_MODEL, EncounterProjection::new);
    }

    @AfterAll
    static void stop() {
        encounters.close();
    }

    @Test
    void groups_come_unlocated_first_then_by_location_and_each_groups_open_encounters_oldest_first() {
        EncounterStarted unlocated = started(facility, null, NOON);
        EncounterStarted late = started(facility, "Ward 1", LATE);
        EncounterStarted earlyOne = started(facility, "Ward 1", EARLY);
        EncounterStarted earlyTwo = started(facility, "Ward 1", EARLY);
        EncounterStarted movedIn = started(facility, "Ward 2", NOON);
        EncounterStarted stays = started(facility, "Ward 2", LATE);
        EncounterStarted discharged = started(facility, "Ward 2", EARLY);
        EncounterStarted cancelled = started(facility, "Ward 3", EARLY);
        encounters.apply(unlocated, late, earlyOne, earlyTwo, movedIn, stays, discharged, cancelled);
        encounters.apply(transferred(movedIn, "Ward 2", "Ward 1"),
                new PatientDischarged(discharged.encounterId(), discharged.patientId(), NEXT_DAY, "home"),
                new EncounterCancelled(cancelled.encounterId(), cancelled.patientId(), "wrong patient", NEXT_DAY));

        assertThat(CensusQueries.page(encounters.read(), facility.value(), null, 10)).isEqualTo(new GroupPage(List.of(
                group(facility, null, unlocated),
                group(facility, "Ward 1", earlyOne, earlyTwo, movedIn, late),
                group(facility, "Ward 2", stays)), false));
    }

    @Test
    void a_facility_leaves_out_the_groups_of_every_other_facility() {
        FacilityId other = newFacility();
        EncounterStarted here = started(facility, "Ward 1", NOON);
        EncounterStarted there = started(other, "Ward 1", NOON);
        encounters.apply(here, there);

        assertThat(CensusQueries.page(encounters.read(), facility.value(), null, 10).groups())
                .containsExactly(group(facility, "Ward 1", here));
        assertThat(CensusQueries.page(encounters.read(), other.value(), null, 10).groups())
                .containsExactly(group(other, "Ward 1", there));
    }

    @Test
    void pages_follow_the_last_place_given_keep_each_group_whole_and_tell_whether_more_follow() {
        List<EncounterStarted> open = List.of(started(facility, null, NOON), started(facility, "Bay 1", EARLY),
                started(facility, "Bay 1", NOON), started(facility, "Bay 1", LATE), started(facility, "Bay 2", NOON),
                started(facility, "Bay 2", LATE), started(facility, "Bay 3", EARLY));
        encounters.apply(open.toArray());
        List<Group> all = census(open);
        assertThat(all).extracting(Group::place).containsExactly(place(facility, null), place(facility, "Bay 1"),
                place(facility, "Bay 2"), place(facility, "Bay 3"));
        assertThat(CensusQueries.page(encounters.read(), facility.value(), null, 10))
                .isEqualTo(new GroupPage(all, false));

        assertThat(walk(encounters.read(), facility.value(), 2)).containsExactly(
                new GroupPage(all.subList(0, 2), true), new GroupPage(all.subList(2, 4), false));
        assertThat(walk(encounters.read(), facility.value(), 1)).containsExactly(
                new GroupPage(all.subList(0, 1), true), new GroupPage(all.subList(1, 2), true),
                new GroupPage(all.subList(2, 3), true), new GroupPage(all.subList(3, 4), false));
    }

    @Test
    void without_a_facility_pages_run_over_every_facility_in_order() {
        try (ProjectionHarness own = ProjectionHarness.start(EncounterProjection.READ_MODEL,
                EncounterProjection::new)) {
            List<FacilityId> facilities = Stream.generate(CensusQueriesTest::newFacility).limit(3).toList();
            List<EncounterStarted> started = new ArrayList<>();
            for (FacilityId f : facilities) {
                started.addAll(List.of(started(f, "Ward 2", NOON), started(f, null, EARLY),
                        started(f, "Ward 1", LATE)));
            }
            own.apply(started.toArray());
            List<Group> expected = census(started);
            assertThat(expected).hasSize(9);

            assertThat(CensusQueries.page(own.read(), null, null, 100)).isEqualTo(new GroupPage(expected, false));
            assertThat(walk(own.read(), null, 4)).containsExactly(new GroupPage(expected.subList(0, 4), true),
                    new GroupPage(expected.subList(4, 8), true), new GroupPage(expected.subList(8, 9), false));
        }
    }

    @Test
    void a_facility_without_open_encounters_has_no_groups_and_no_next_page() {
        EncounterStarted gone = started(facility, "Ward 1", EARLY);
        encounters.apply(gone, new PatientDischarged(gone.encounterId(), gone.patientId(), NOON, "home"));

        assertThat(CensusQueries.page(encounters.read(), facility.value(), null, 10))
                .isEqualTo(new GroupPage(List.of(), false));
    }

    @Test
    void a_page_is_read_in_one_statement_so_from_one_snapshot() {
        encounters.apply(started(facility, null, NOON), started(facility, "Ward 1", EARLY),
                started(facility, "Ward 2", LATE));
        CountedStatements counted = new CountedStatements(encounters.read());

        GroupPage page = CensusQueries.page(counted.read(), facility.value(), null, 2);

        assertThat(page.groups()).hasSize(2);
        assertThat(page.more()).isTrue();
        assertThat(counted.sent()).isEqualTo(1);
    }

    /** Every page from the first, each after the last place of the one before, until one says no more follow. */
    private static List<GroupPage> walk(Read read, UUID facilityId, int limit) {
        List<GroupPage> pages = new ArrayList<>();
        Place after = null;
        GroupPage page;
        do {
            page = CensusQueries.page(read, facilityId, after, limit);
            pages.add(page);
            after = page.groups().isEmpty() ? null : page.groups().getLast().place();
        } while (page.more() && pages.size() < 20);
        return pages;
    }

    /** The census of these open encounters as the queries promise it, computed here. */
    private static List<Group> census(List<EncounterStarted> open) {
        Comparator<Place> order = Comparator.comparing(Place::facilityId, UUID_ORDER)
                .thenComparing(Place::located).thenComparing(Place::location);
        Map<Place, List<EncounterStarted>> byPlace = open.stream().collect(Collectors.groupingBy(
                s -> place(s.facilityId(), s.location()), () -> new TreeMap<>(order), Collectors.toList()));
        return byPlace.entrySet().stream().map(e -> group(e.getKey(), e.getValue())).toList();
    }

    private static Group group(FacilityId facility, String location, EncounterStarted... encounters) {
        return group(place(facility, location), List.of(encounters));
    }

    /** A group's encounters come oldest first, then by id. */
    private static Group group(Place place, List<EncounterStarted> encounters) {
        return new Group(place, encounters.stream()
                .sorted(Comparator.comparing(EncounterStarted::startedAt)
                        .thenComparing(s -> s.encounterId().value(), UUID_ORDER))
                .map(s -> new CensusEncounter(s.encounterId().value(), s.patientId().value(),
                        s.encounterClass().name(), s.startedAt()))
                .toList());
    }

    private static Place place(FacilityId facility, String location) {
        return new Place(facility.value(), location != null, location == null ? "" : location);
    }

    private static EncounterStarted started(FacilityId facility, String location, Instant at) {
        return new EncounterStarted(new EncounterId(UUID.randomUUID()), new PatientId(UUID.randomUUID()),
                EncounterClass.IMP, facility, location, at, null);
    }

    private static PatientTransferred transferred(EncounterStarted encounter, String from, String to) {
        return new PatientTransferred(encounter.encounterId(), encounter.patientId(), from, to, NOON);
    }

    private static FacilityId newFacility() {
        return new FacilityId(UUID.randomUUID());
    }
}
