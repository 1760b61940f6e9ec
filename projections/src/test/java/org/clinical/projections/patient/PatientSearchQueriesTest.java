package org.clinical.projections.patient;

import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.Mrn;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.events.patient.PatientId;
import org.clinical.projections.patient.PatientSearchQueries.After;
import org.clinical.projections.patient.PatientSearchQueries.Filter;
import org.clinical.projections.patient.PatientSearchQueries.Match;
import org.clinical.projections.support.ProjectionHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link PatientSearchQueries} over the patients the projection wrote from stored events, read as the query side
 * reads them. One tenant for the class, each test with names of its own; every search is checked against the
 * answer {@link SearchModel} computes from every patient of the tenant, and each test then says what it shows.
 * The plans a search takes by how common its words are: {@link PatientSearchPlansTest}.
 */
class PatientSearchQueriesTest {

    private static final int ALL = 1_000;
    private static final LocalDate BORN = LocalDate.of(1970, 1, 1);

    private static SearchModel patients;

    @BeforeAll
    static void start() {
        patients = new SearchModel(ProjectionHarness.start(PatientProjection.READ_MODEL, PatientProjection::new));
    }

    @AfterAll
    static void stop() {
        patients.harness().close();
    }

    @Test
    void a_match_carries_the_patients_row_and_its_sort_key_the_family_and_given_names_normalized() {
        PatientRegistered ada = new PatientRegistered(newId(), newMrn(),
                new HumanName("Lovelace-Byron", List.of("Augusta", "Ada Mary")), LocalDate.of(1815, 12, 10),
                Gender.FEMALE, List.of(), List.of(), null);
        patients.apply(ada);

        assertThat(search(new Filter(List.of(), ada.mrn().value(), null))).containsExactly(new Match(
                id(ada), ada.mrn().value(), "Lovelace-Byron", List.of("Augusta", "Ada Mary"), ada.birthDate(),
                Gender.FEMALE.name().toLowerCase(Locale.ROOT), true, null, null,
                ("Lovelace-Byron " + String.join(" ", ada.name().given())).toLowerCase(Locale.ROOT)));
    }

    @Test
    void each_word_matches_any_word_or_hyphen_separated_part_of_the_names_by_prefix_whatever_its_case() {
        PatientRegistered patient = registered("Hartley-Fenwick", "Jean Luc", "Odile");
        patients.apply(patient);

        for (String word : List.of("hartley", "HART", "fenw", "Fenwick", "jean", "luc", "Odi")) {
            assertThat(found(word)).as(word).containsExactly(id(patient));
        }
        assertThat(SearchModel.similarity("ley", "hartley")).isLessThan(0.3f);
        assertThat(found("ley")).as("the end of a part, not near it").isEmpty();
    }

    @Test
    void accents_are_folded_by_unaccent_in_the_names_and_in_the_words() {
        PatientRegistered muller = registered("Müller-Lüdenscheidt", "Zoë");
        PatientRegistered oster = registered("Østergaard", "Éloïse");
        PatientRegistered grossmann = registered("Großmann", "Björk");
        patients.apply(muller, oster, grossmann);

        for (String word : List.of("MÜLLER", "muller", "ludenscheid", "lüden", "zoe", "ZOË")) {
            assertThat(found(word)).as(word).containsExactly(id(muller));
        }
        for (String word : List.of("oster", "ØSTER", "eloise", "éloïse", "Eloïse")) {
            assertThat(found(word)).as(word).containsExactly(id(oster));
        }
        for (String word : List.of("grossmann", "großm", "bjork", "björk")) {
            assertThat(found(word)).as(word).containsExactly(id(grossmann));
        }
        assertThat(search(name("zoe")).getFirst().sortKey()).isEqualTo("muller-ludenscheidt zoe");
    }

    @Test
    void a_word_also_matches_the_parts_at_trigram_similarity_0_3_or_more() {
        List<PatientRegistered> all = List.of(registered("Kowalsky", "Wanda"), registered("Kovalski", "Irena"),
                registered("Kowal", "Olek"), registered("Kazimierz", "Tadeusz"), registered("Walczak", "Ewa"));
        patients.apply(all.toArray(PatientRegistered[]::new));
        List<UUID> near = all.stream()
                .filter(p -> SearchModel.similarity("kowalski", p.name().family().toLowerCase(Locale.ROOT)) >= 0.3)
                .map(PatientSearchQueriesTest::id).toList();

        assertThat(near).hasSize(3);
        assertThat(found("kowalski")).containsExactlyInAnyOrderElementsOf(near);
        assertThat(found("Kowalski", "wanda")).containsExactly(id(all.getFirst()));
    }

    @Test
    void only_the_nearest_fuzzy_neighbours_of_a_word_count() {
        String word = "trevanion";
        PatientRegistered far = registered("Xzevanion");
        patients.apply(far);
        assertThat(found(word)).as("fewer neighbours than the limit").containsExactly(id(far));

        List<String> nearer = IntStream.range(0, word.length() - 1).boxed()
                .flatMap(i -> "abcdefghijklmnopqrstuvwxyz".chars()
                        .mapToObj(c -> word.substring(0, i) + (char) c + word.substring(i + 1)))
                .filter(w -> !w.equals(word)
                        && SearchModel.similarity(w, word) > SearchModel.similarity("xzevanion", word))
                .limit(PatientSearchQueries.FUZZY_WORDS).toList();
        List<PatientRegistered> neighbours = nearer.stream().map(PatientSearchQueriesTest::registered).toList();
        patients.apply(neighbours.toArray(PatientRegistered[]::new));

        assertThat(nearer).hasSize(PatientSearchQueries.FUZZY_WORDS);
        assertThat(SearchModel.similarity("xzevanion", word)).isGreaterThanOrEqualTo(0.3f);
        assertThat(found(word)).as("as many nearer neighbours as the limit")
                .containsExactlyInAnyOrderElementsOf(neighbours.stream().map(PatientSearchQueriesTest::id).toList());
    }

    @Test
    void like_wildcards_in_a_word_are_taken_literally() {
        PatientRegistered pennington = registered("Pennington", "Quill");
        patients.apply(pennington);

        assertThat(found("penn")).containsExactly(id(pennington));
        assertThat(found("pen%")).isEmpty();
        assertThat(found("p_nn")).isEmpty();
    }

    @Test
    void every_word_must_match_some_part_of_the_same_patient() {
        PatientRegistered clementine = registered("Abernathy", "Clementine");
        PatientRegistered rosalind = registered("Abernathy", "Rosalind");
        PatientRegistered other = registered("Whitcombe", "Clementine");
        patients.apply(clementine, rosalind, other);

        assertThat(found("abernathy", "clementine")).containsExactly(id(clementine));
        assertThat(found("clem", "whit")).containsExactly(id(other));
        assertThat(found("clementine")).containsExactlyInAnyOrder(id(clementine), id(other));
        assertThat(found("rosalind", "whitcombe")).isEmpty();
        assertThat(found("Clementine", "CLEMENTINE", "abern")).as("words alike count once")
                .containsExactly(id(clementine));
        assertThat(found("abernathy", "qzxjv")).as("a word no vocabulary word matches").isEmpty();
    }

    @Test
    void with_several_words_the_answer_is_the_same_whichever_is_rarest_and_wherever_it_comes() {
        List<PatientRegistered> fairweathers = IntStream.range(0, 12)
                .mapToObj(i -> registered("Fairweather", i % 6 == 0 ? "Ottoline" : "Sibyl" + i)).toList();
        patients.apply(fairweathers.toArray(PatientRegistered[]::new));
        List<UUID> ottolines = fairweathers.stream().filter(p -> p.name().given().contains("Ottoline"))
                .map(PatientSearchQueriesTest::id).toList();

        assertThat(found("fairweather", "ottoline")).hasSize(2).containsExactlyInAnyOrderElementsOf(ottolines)
                .isEqualTo(found("ottoline", "fairweather")).isEqualTo(found("otto", "fair"));
        assertThat(found("fairweather")).hasSize(12);
    }

    @Test
    void an_mrn_matches_exactly_and_whole() {
        PatientRegistered seven = registered("Ingleby", BORN, "Roger");
        PatientRegistered seventy = new PatientRegistered(newId(), new Mrn(seven.mrn().value() + "0"),
                new HumanName("Ingleby", List.of("Maud")), BORN, Gender.FEMALE, List.of(), List.of(), null);
        patients.apply(seven, seventy);

        assertThat(ids(search(mrn(seven.mrn().value())))).containsExactly(id(seven));
        assertThat(ids(search(mrn(seventy.mrn().value())))).containsExactly(id(seventy));
        assertThat(search(mrn(seven.mrn().value().toLowerCase(Locale.ROOT)))).isEmpty();
        assertThat(search(mrn(seven.mrn().value().substring(0, 6)))).isEmpty();
    }

    @Test
    void a_birth_date_matches_patients_born_that_day_only() {
        LocalDate day = LocalDate.of(1931, 5, 17);
        PatientRegistered one = registered("Garroway", day, "Nell");
        PatientRegistered two = registered("Ashdown", day, "Percy");
        PatientRegistered nextDay = registered("Garroway", day.plusDays(1), "Tobias");
        patients.apply(one, two, nextDay);

        assertThat(ids(search(new Filter(List.of(), null, day)))).containsExactlyInAnyOrder(id(one), id(two));
        assertThat(ids(search(new Filter(List.of(), null, day.plusDays(1))))).containsExactly(id(nextDay));
        assertThat(search(new Filter(List.of(), null, day.minusDays(1)))).isEmpty();
    }

    @Test
    void name_mrn_and_birth_date_combine_so_that_every_one_given_must_match() {
        LocalDate day = LocalDate.of(1942, 2, 2);
        PatientRegistered ines = registered("Castellanos", day, "Inés");
        PatientRegistered ruben = registered("Castellanos", day, "Rubén");
        PatientRegistered younger = registered("Castellanos", day.plusYears(8), "Inés");
        patients.apply(ines, ruben, younger);

        assertThat(ids(search(new Filter(List.of("ines"), null, day)))).containsExactly(id(ines));
        assertThat(ids(search(new Filter(List.of("castellanos"), null, day))))
                .containsExactlyInAnyOrder(id(ines), id(ruben));
        assertThat(ids(search(new Filter(List.of("castellanos"), younger.mrn().value(), null))))
                .containsExactly(id(younger));
        assertThat(ids(search(new Filter(List.of(), ruben.mrn().value(), day)))).containsExactly(id(ruben));
        assertThat(ids(search(new Filter(List.of("ines", "castellanos"), ines.mrn().value(), day))))
                .containsExactly(id(ines));
        assertThat(search(new Filter(List.of("ruben"), ines.mrn().value(), null))).isEmpty();
        assertThat(search(new Filter(List.of(), younger.mrn().value(), day))).isEmpty();
    }

    @Test
    void without_words_or_filters_every_patient_of_the_tenant_comes_in_result_order() {
        patients.apply(registered("Yarborough", "Cuthbert"), registered("Aldous", "Hew"));

        assertThat(search(new Filter(List.of(), null, null))).isEqualTo(patients.all());
    }

    @Test
    void matches_come_by_sort_key_and_patients_of_the_same_key_by_patient_id() {
        PatientRegistered twin = registered("Vandermeer", "Anna");
        PatientRegistered otherTwin = registered("Vandermeer", "Anna");
        PatientRegistered hyphened = registered("Vander-Meer", "Anna");
        PatientRegistered spaced = registered("Vander Meer", "Anna");
        PatientRegistered asa = registered("Vandermeer", "Åsa");
        patients.apply(twin, asa, hyphened, otherTwin, spaced);
        List<UUID> twins = Stream.of(id(twin), id(otherTwin)).sorted(Comparator.comparing(UUID::toString)).toList();

        List<Match> found = search(name("vander"));

        // a space sorts before a hyphen, and both before a letter
        assertThat(found).extracting(Match::patientId, Match::sortKey).containsExactly(
                tuple(id(spaced), "vander meer anna"), tuple(id(hyphened), "vander-meer anna"),
                tuple(twins.get(0), "vandermeer anna"), tuple(twins.get(1), "vandermeer anna"),
                tuple(id(asa), "vandermeer asa"));
    }

    /**
     * Between every two pages two more patients register: one sorted before every page walked so far (an offset
     * would then repeat a patient) and one after them all.
     */
    @Test
    void pages_go_on_after_the_last_match_so_a_walk_neither_repeats_nor_loses_a_patient_while_others_register() {
        int pageSize = 4;
        patients.apply(IntStream.range(0, 15).mapToObj(i -> registered("Peregrine", "Kit" + i))
                .toArray(PatientRegistered[]::new));
        Filter filter = name("peregrine");
        List<Match> atStart = patients.search(filter, null, ALL);
        List<UUID> sortedBefore = new ArrayList<>();
        List<Match> walked = new ArrayList<>();
        After after = null;
        List<Match> page;
        do {
            page = page(filter, after, pageSize);
            walked.addAll(page);
            after = page.isEmpty() ? after : new After(page.getLast().patientId(), page.getLast().sortKey());
            PatientRegistered before = registered("Peregrine", "Aaa%03d".formatted(walked.size()));
            sortedBefore.add(id(before));
            patients.apply(before, registered("Peregrine", "Zzz%03d".formatted(walked.size())));
        } while (page.size() == pageSize && walked.size() < 100);

        assertThat(walked).doesNotHaveDuplicates().containsAll(atStart).isSortedAccordingTo(SearchModel.RESULT_ORDER);
        assertThat(ids(walked)).doesNotContainAnyElementsOf(sortedBefore);
        assertThat(walked).hasSizeGreaterThan(atStart.size())
                .isEqualTo(patients.search(filter, null, ALL).stream()
                        .filter(m -> !sortedBefore.contains(m.patientId()))
                        .filter(m -> SearchModel.RESULT_ORDER.compare(m, walked.getLast()) <= 0).toList());
    }

    @Test
    void a_renamed_patient_is_found_by_its_new_name_and_birth_date_in_its_new_place_and_no_longer_by_the_old() {
        LocalDate born = LocalDate.of(1961, 1, 1);
        PatientRegistered horatio = registered("Thistlewood", born, "Horatio");
        PatientRegistered agnes = registered("Thistlewood", born, "Agnes");
        patients.apply(horatio, agnes);
        LocalDate corrected = LocalDate.of(1962, 2, 2);

        patients.apply(new PatientDemographicsUpdated(horatio.patientId(),
                new HumanName("Ambergate", List.of("Ignatius")), corrected, Gender.MALE, List.of(), List.of(), null));

        assertThat(found("thistlewood")).containsExactly(id(agnes));
        assertThat(search(name("ignatius"))).extracting(Match::patientId, Match::family, Match::sortKey, Match::gender)
                .containsExactly(tuple(id(horatio), "Ambergate", "ambergate ignatius", "male"));
        assertThat(patients.harness().count("select count(*) from {s}.name_word where word = 'horatio'"))
                .as("the vocabulary keeps the old words").isEqualTo(1);
        assertThat(found("horatio")).isEmpty();
        assertThat(search(new Filter(List.of("ambergate"), null, born))).isEmpty();
        assertThat(ids(search(new Filter(List.of("ambergate"), null, corrected)))).containsExactly(id(horatio));
    }

    @Test
    void a_merged_patient_is_still_found_inactive_and_pointing_to_its_survivor_which_stays_as_it_was() {
        PatientRegistered merged = registered("Quenby", "Rhoda");
        PatientRegistered survivor = registered("Quenby", "Bartholomew");
        patients.apply(merged, survivor);
        Match before = patients.match(survivor);

        patients.apply(new PatientMerged(merged.patientId(), survivor.patientId(),
                Instant.parse("2025-03-04T10:00:00Z")));

        assertThat(search(name("quenby"))).extracting(Match::patientId, Match::active, Match::mergedInto)
                .containsExactlyInAnyOrder(tuple(id(merged), false, id(survivor)), tuple(id(survivor), true, null));
        assertThat(search(name("quenby", "bartholomew"))).containsExactly(before);
    }

    @Test
    void a_deceased_patient_is_still_found_active_with_its_time_of_death() {
        PatientRegistered wystan = registered("Ellingham", "Wystan");
        Instant death = Instant.parse("2025-03-02T23:59:30Z");
        patients.apply(wystan);

        patients.apply(new PatientDeceased(wystan.patientId(), death));

        assertThat(search(name("ellingham"))).extracting(Match::patientId, Match::active, Match::deceasedAt)
                .containsExactly(tuple(id(wystan), true, death));
    }

    /** Every match at once. */
    private static List<Match> search(Filter filter) {
        return page(filter, null, ALL);
    }

    /** The search's page, checked against the model's. */
    private static List<Match> page(Filter filter, After after, int rows) {
        List<Match> answer = PatientSearchQueries.search(patients.harness().read(), filter, after, rows);
        assertThat(answer).as("%s after %s", filter, after).isEqualTo(patients.search(filter, after, rows));
        return answer;
    }

    private static List<UUID> found(String... words) {
        return ids(search(name(words)));
    }

    private static Filter name(String... words) {
        return new Filter(List.of(words), null, null);
    }

    private static Filter mrn(String mrn) {
        return new Filter(List.of(), mrn, null);
    }

    private static List<UUID> ids(List<Match> matches) {
        return matches.stream().map(Match::patientId).toList();
    }

    private static UUID id(PatientRegistered patient) {
        return patient.patientId().value();
    }

    private static PatientRegistered registered(String family, String... given) {
        return registered(family, BORN, given);
    }

    private static PatientRegistered registered(String family, LocalDate birthDate, String... given) {
        return new PatientRegistered(newId(), newMrn(), new HumanName(family, List.of(given)), birthDate,
                Gender.FEMALE, List.of(), List.of(), null);
    }

    private static PatientId newId() {
        return new PatientId(UUID.randomUUID());
    }

    private static Mrn newMrn() {
        return new Mrn("MRN-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
