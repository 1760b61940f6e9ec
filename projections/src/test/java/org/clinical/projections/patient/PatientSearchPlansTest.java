package org.clinical.projections.patient;

import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.patient.PatientSearchQueries.After;
import org.clinical.projections.patient.PatientSearchQueries.Filter;
import org.clinical.projections.patient.PatientSearchQueries.Match;
import org.clinical.projections.support.CountedStatements;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinical.projections.patient.PatientSearchQueries.COLLECT_AT_MOST;

/**
 * The two plans of {@link PatientSearchQueries}: collecting the patients of the rarest word and sorting them, or,
 * for one word of more than {@link PatientSearchQueries#COLLECT_AT_MOST} patients, walking the patients in result
 * order. Their answers must be the same ({@link SearchModel} computes them); which plan ran shows in the statements
 * a search sends, the walk setting its planner options in one more. One tenant for the class holding one more
 * Walker than the threshold, all but one of them also named Common, each with a given name {@code x<number>} of
 * its own in an order unlike the registrations', a few also named Rare.
 */
class PatientSearchPlansTest {

    private static final int WALKERS = COLLECT_AT_MOST + 1;
    private static final int BATCH = 4_000;
    private static final int RARE_EVERY = 2_000;
    private static final LocalDate FIRST_BORN = LocalDate.of(1950, 1, 1);

    private static SearchModel patients;

    @BeforeAll
    static void start() {
        patients = new SearchModel(ProjectionHarness.start(PatientProjection.READ_MODEL, PatientProjection::new));
        List<Integer> numbers = new ArrayList<>(IntStream.range(0, WALKERS).boxed().toList());
        Collections.shuffle(numbers, new Random(8));
        List<PatientRegistered> walkers = IntStream.range(0, WALKERS).mapToObj(i -> new PatientRegistered(
                new PatientId(UUID.randomUUID()), new Mrn("MRN-" + i),
                new HumanName("Walker", given(i, numbers.get(i))),
                FIRST_BORN.plusDays(i % 1_000), Gender.FEMALE, List.of(), List.of(), null)).toList();
        for (int from = 0; from < WALKERS; from += BATCH) {
            patients.apply(walkers.subList(from, Math.min(from + BATCH, WALKERS)).toArray(PatientRegistered[]::new));
        }
    }

    /** Its own {@code x<number>}; Common but for the first; Rare for one in {@value #RARE_EVERY}. */
    private static List<String> given(int i, int number) {
        List<String> given = new ArrayList<>(List.of("x%05d".formatted(number)));
        if (i > 0) {
            given.add("Common");
        }
        if (i % RARE_EVERY == 1) {
            given.add("Rare");
        }
        return given;
    }

    @AfterAll
    static void stop() {
        patients.harness().close();
    }

    @Test
    void a_word_of_at_most_the_threshold_collects_its_patients_and_a_word_of_one_more_walks_them() {
        assertThat(patientsOf("common")).isEqualTo(COLLECT_AT_MOST);
        assertThat(patientsOf("walker")).isEqualTo(COLLECT_AT_MOST + 1);

        Sent collected = search(name("common"), null, 50);
        Sent walked = search(name("walker"), null, 50);

        assertThat(walked.statements()).isEqualTo(collected.statements() + 1);
        assertThat(collected.matches()).hasSize(50);
        assertThat(walked.matches()).hasSize(50);
    }

    @Test
    void both_plans_page_through_every_match_in_result_order_without_repeating_or_losing_one() {
        for (String word : List.of("walker", "common")) {
            Filter filter = name(word);
            List<Match> walked = new ArrayList<>();
            After after = null;
            List<Match> page;
            do {
                page = search(filter, after, 5_000).matches();
                walked.addAll(page);
                after = page.isEmpty() ? after : new After(page.getLast().patientId(), page.getLast().sortKey());
            } while (page.size() == 5_000);

            assertThat(walked).as(word).hasSize(patientsOf(word)).doesNotHaveDuplicates()
                    .isSortedAccordingTo(SearchModel.RESULT_ORDER).isEqualTo(patients.search(filter, null, WALKERS));
        }
    }

    @Test
    void several_words_collect_by_the_rarest_even_when_every_one_is_common() {
        assertThat(patientsOf("x")).isEqualTo(patientsOf("walker")).isGreaterThan(COLLECT_AT_MOST);
        int rare = (int) IntStream.range(0, WALKERS).filter(i -> i % RARE_EVERY == 1).count();

        Sent everyOneCommon = search(name("walker", "x"), null, 20);
        Sent oneCollected = search(name("walker", "common"), null, 20);
        Sent rareFirst = search(name("rare", "walker"), null, 20);
        Sent rareLast = search(name("walker", "rare"), null, 20);

        assertThat(everyOneCommon.statements()).isEqualTo(oneCollected.statements());
        assertThat(everyOneCommon.matches()).hasSize(20);
        assertThat(rareFirst.matches()).hasSize(rare).isEqualTo(rareLast.matches());
    }

    @Test
    void a_common_word_with_a_birth_date_or_an_mrn_reads_the_patients_these_name_without_walking() {
        LocalDate day = FIRST_BORN.plusDays(17);

        Sent walkers = search(new Filter(List.of("walker"), null, day), null, 50);
        Sent common = search(new Filter(List.of("common"), null, day), null, 50);
        Sent byMrn = search(new Filter(List.of("walker"), "MRN-17", null), null, 50);

        assertThat(walkers.statements()).isEqualTo(common.statements()).isEqualTo(byMrn.statements());
        assertThat(walkers.matches()).hasSize((int) IntStream.range(0, WALKERS).filter(i -> i % 1_000 == 17).count());
        assertThat(byMrn.matches()).extracting(Match::mrn).containsExactly("MRN-17");
    }

    /** A search's answer, checked against the model's, and how many statements it sent. */
    private record Sent(List<Match> matches, int statements) {
    }

    private static Sent search(Filter filter, After after, int rows) {
        CountedStatements counted = new CountedStatements(patients.harness().read());
        List<Match> answer = PatientSearchQueries.search(counted.read(), filter, after, rows);
        assertThat(answer).as("%s after %s", filter, after).isEqualTo(patients.search(filter, after, rows));
        return new Sent(answer, counted.sent());
    }

    /** How many patients the word matches, as the model sees them. */
    private static int patientsOf(String word) {
        return patients.search(name(word), null, Integer.MAX_VALUE).size();
    }

    private static Filter name(String... words) {
        return new Filter(List.of(words), null, null);
    }
}
