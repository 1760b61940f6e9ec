package org.clinical.projections.encounter;

import org.clinical.events.common.Coding;
import org.clinical.events.encounter.EncounterClass;
import org.clinical.events.encounter.EncounterEvent.EncounterCancelled;
import org.clinical.events.encounter.EncounterEvent.EncounterStarted;
import org.clinical.events.encounter.EncounterEvent.PatientDischarged;
import org.clinical.events.encounter.EncounterEvent.PatientTransferred;
import org.clinical.events.encounter.EncounterId;
import org.clinical.events.facility.FacilityId;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.encounter.EncounterQueries.Encounter;
import org.clinical.projections.encounter.EncounterQueries.LocationStay;
import org.clinical.projections.encounter.EncounterQueries.OpenEncounter;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.projections.support.ReadModelSql.json;

/**
 * {@link EncounterQueries} over the rows the encounters projection wrote from stored events, read as the query
 * side reads them. One tenant for the class; each test has a patient of its own.
 */
class EncounterQueriesTest {

    /** Where the query side starts a patient's first page: before every encounter. */
    private static final Instant NEWEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final UUID LAST_ID = new UUID(-1L, -1L);
    private static final Coding PNEUMONIA = new Coding("http://snomed.info/sct", "233604007", "Pneumonia");
    private static final String PNEUMONIA_JSON = """
            {"system": "http://snomed.info/sct", "code": "233604007", "display": "Pneumonia"}""";
    private static final Instant MARCH_1 = Instant.parse("2025-03-01T08:00:00Z");
    private static final Instant MARCH_3 = Instant.parse("2025-03-03T12:30:00Z");
    private static final Instant MARCH_5 = Instant.parse("2025-03-05T21:15:00Z");
    private static final Instant MARCH_6 = Instant.parse("2025-03-06T07:00:00Z");
    private static final Instant MARCH_9 = Instant.parse("2025-03-09T16:45:00Z");

    private static ProjectionHarness encounters;

    private final PatientId patient = new PatientId(UUID.randomUUID());
    private final FacilityId facility = new FacilityId(UUID.randomUUID());

    @BeforeAll
    static void start() {
        encounters = ProjectionHarness.start(EncounterProjection.READ_MODEL, EncounterProjection::new);
    }

    @AfterAll
    static void stop() {
        encounters.close();
    }

    @Test
    void a_patients_encounters_come_newest_first_whatever_their_status_and_never_another_patients() {
        EncounterId finished = newId();
        EncounterId cancelled = newId();
        EncounterId open = newId();
        encounters.apply(started(finished, "Ward 1", MARCH_1), started(cancelled, "Ward 2", MARCH_5),
                new EncounterStarted(open, patient, EncounterClass.EMER, facility, null, MARCH_9, null),
                new EncounterStarted(newId(), new PatientId(UUID.randomUUID()), EncounterClass.IMP, facility, "Ward 1",
                        MARCH_6, PNEUMONIA),
                new PatientDischarged(finished, patient, MARCH_3, "home"),
                new EncounterCancelled(cancelled, patient, "registered twice", MARCH_6));

        List<Encounter> page = EncounterQueries.ofPatient(encounters.read(), patient.value(), NEWEST, LAST_ID, 10);

        assertThat(page).usingRecursiveFieldByFieldElementComparatorIgnoringFields("reason").containsExactly(
                new Encounter(open.value(), patient.value(), "EMER", facility.value(), null, "in-progress", MARCH_9,
                        null, null, null, 1),
                new Encounter(cancelled.value(), patient.value(), "IMP", facility.value(), "Ward 2", "cancelled",
                        MARCH_5, MARCH_6, null, null, 2),
                new Encounter(finished.value(), patient.value(), "IMP", facility.value(), "Ward 1", "finished",
                        MARCH_1, MARCH_3, null, "home", 2));
        assertThat(page).extracting(e -> e.reason() == null ? null : json(e.reason())).containsExactly(null,
                json(PNEUMONIA_JSON), json(PNEUMONIA_JSON));
    }

    @Test
    void pages_continue_after_the_last_encounter_given_and_encounters_started_together_go_by_descending_id() {
        List<EncounterStarted> starts = Stream.of(MARCH_1, MARCH_5, MARCH_5, MARCH_5, MARCH_9)
                .map(at -> started(newId(), "Ward 1", at)).toList();
        encounters.apply(starts.toArray());
        List<UUID> newestFirst = starts.stream()
                .sorted(Comparator.comparing(EncounterStarted::startedAt)
                        .thenComparing(s -> s.encounterId().value().toString()).reversed())
                .map(s -> s.encounterId().value()).toList();

        List<List<UUID>> pages = new ArrayList<>();
        Instant before = NEWEST;
        UUID beforeId = LAST_ID;
        List<Encounter> page;
        do {
            page = EncounterQueries.ofPatient(encounters.read(), patient.value(), before, beforeId, 2);
            pages.add(page.stream().map(Encounter::encounterId).toList());
            if (!page.isEmpty()) {
                before = page.getLast().startedAt();
                beforeId = page.getLast().encounterId();
            }
        } while (page.size() == 2);

        assertThat(pages).containsExactly(newestFirst.subList(0, 2), newestFirst.subList(2, 4),
                newestFirst.subList(4, 5));
    }

    @Test
    void each_encounters_stays_come_in_order_and_an_encounter_without_a_stay_is_left_out() {
        EncounterId moved = newId();
        EncounterId unplaced = newId();
        EncounterId stayed = newId();
        encounters.apply(started(moved, "Ward 1", MARCH_1), started(unplaced, null, MARCH_1),
                started(stayed, "Ward 2", MARCH_5),
                new PatientTransferred(moved, patient, "Ward 1", "ICU", MARCH_3),
                new PatientTransferred(moved, patient, "ICU", "Ward 3", MARCH_5),
                new PatientDischarged(moved, patient, MARCH_9, "home"));

        Map<UUID, List<LocationStay>> stays = EncounterQueries.locations(encounters.read(),
                List.of(stayed.value(), unplaced.value(), moved.value()));

        assertThat(stays).containsOnlyKeys(moved.value(), stayed.value());
        assertThat(stays.get(moved.value())).containsExactly(new LocationStay("Ward 1", MARCH_1, MARCH_3),
                new LocationStay("ICU", MARCH_3, MARCH_5), new LocationStay("Ward 3", MARCH_5, MARCH_9));
        assertThat(stays.get(stayed.value())).containsExactly(new LocationStay("Ward 2", MARCH_5, null));
        assertThat(EncounterQueries.locations(encounters.read(), List.of())).isEmpty();
    }

    @Test
    void the_open_encounter_is_the_newest_in_progress_one_and_there_is_none_once_each_has_ended() {
        EncounterId older = newId();
        EncounterId newer = newId();
        EncounterId newestButFinished = newId();
        encounters.apply(started(older, "Ward 1", MARCH_1), started(newer, "Ward 2", MARCH_3),
                started(newestButFinished, "Ward 3", MARCH_5),
                new PatientTransferred(newer, patient, "Ward 2", "ICU", MARCH_5),
                new PatientDischarged(newestButFinished, patient, MARCH_6, "home"));

        assertThat(EncounterQueries.open(encounters.read(), patient.value())).contains(
                new OpenEncounter(newer.value(), "IMP", facility.value(), "ICU", MARCH_3, 2));

        encounters.apply(new PatientDischarged(newer, patient, MARCH_9, "home"),
                new EncounterCancelled(older, patient, "registered twice", MARCH_9));

        assertThat(EncounterQueries.open(encounters.read(), patient.value())).isEmpty();
    }

    private EncounterStarted started(EncounterId id, String location, Instant at) {
        return new EncounterStarted(id, patient, EncounterClass.IMP, facility, location, at, PNEUMONIA);
    }

    private static EncounterId newId() {
        return new EncounterId(UUID.randomUUID());
    }
}
