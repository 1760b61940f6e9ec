package org.clinical.projections.patient;

import org.clinical.events.patient.Gender;
import org.clinical.events.patient.HumanName;
import org.clinical.events.patient.PatientEvent;
import org.clinical.events.patient.PatientEvent.PatientDeceased;
import org.clinical.events.patient.PatientEvent.PatientDemographicsUpdated;
import org.clinical.events.patient.PatientEvent.PatientMerged;
import org.clinical.events.patient.PatientEvent.PatientRegistered;
import org.clinical.projections.patient.PatientSearchQueries.After;
import org.clinical.projections.patient.PatientSearchQueries.Filter;
import org.clinical.projections.patient.PatientSearchQueries.Match;
import org.clinical.projections.support.ProjectionHarness;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every patient of one tenant as the search promises to see it, kept from the events a test applies through the
 * harness, so a test's expected matches are computed from its inputs: each word normalized as
 * {@code lower(unaccent(...))} (by PostgreSQL's {@code unaccent}), matching a vocabulary word (every name part ever
 * written) it starts, or one of the {@value PatientSearchQueries#FUZZY_WORDS} words nearest to it by pg_trgm
 * similarity at least 0.3 (computed here); a patient matching when each word matches one of its parts, and the
 * MRN and birth date if given; results ordered by sort key then patient id, compared code point by code point as
 * {@link String#compareTo} does and as the run's database does (its collation, from {@code template1}, is
 * {@code C.UTF-8} on this machine). Replayed events are not modelled: the projection's guard is tested apart.
 */
final class SearchModel {

    static final Comparator<Match> RESULT_ORDER = Comparator.comparing(Match::sortKey)
            .thenComparing(m -> m.patientId().toString());
    private static final double SIMILARITY_THRESHOLD = 0.3;

    private final ProjectionHarness patients;
    private final Map<UUID, Patient> byId = new HashMap<>();
    private final Set<String> vocabulary = new HashSet<>();

    /** A patient's match as it stands, with its name parts. */
    private record Patient(Match match, Set<String> parts) {
    }

    SearchModel(ProjectionHarness patients) {
        this.patients = patients;
    }

    ProjectionHarness harness() {
        return patients;
    }

    /** Applies the events through the harness as one batch, then to this model. */
    void apply(PatientEvent... events) {
        patients.apply((Object[]) events);
        Map<String, String> normal = normalizedNames(events);
        for (PatientEvent event : events) {
            Patient was = byId.get(event.patientId().value());
            switch (event) {
                case PatientRegistered e -> named(e.patientId().value(), e.mrn().value(), e.name(), e.birthDate(),
                        e.gender(), true, null, null, normal);
                case PatientDemographicsUpdated e -> named(e.patientId().value(), was.match().mrn(), e.name(),
                        e.birthDate(), e.gender(), was.match().active(), was.match().deceasedAt(),
                        was.match().mergedInto(), normal);
                case PatientMerged e -> put(with(was.match(), false, was.match().deceasedAt(), e.survivorId().value()),
                        was.parts());
                case PatientDeceased e -> put(with(was.match(), was.match().active(), e.deceasedAt(),
                        was.match().mergedInto()), was.parts());
            }
        }
    }

    /** Every patient's match, in result order. */
    List<Match> all() {
        return byId.values().stream().map(Patient::match).sorted(RESULT_ORDER).toList();
    }

    Match match(PatientEvent event) {
        return byId.get(event.patientId().value()).match();
    }

    /** The first {@code rows} matches after {@code after} (null: from the first) that the search promises. */
    List<Match> search(Filter filter, After after, int rows) {
        List<Set<String>> vocabularies = new ArrayList<>();
        for (String word : new LinkedHashSet<>(normalized(filter.words()))) {
            vocabularies.add(vocabulary(word));
        }
        return byId.values().stream()
                .filter(p -> vocabularies.stream().allMatch(v -> p.parts().stream().anyMatch(v::contains)))
                .map(Patient::match)
                .filter(m -> filter.mrn() == null || filter.mrn().equals(m.mrn()))
                .filter(m -> filter.birthDate() == null || filter.birthDate().equals(m.birthDate()))
                .filter(m -> after == null || RESULT_ORDER.compare(m, position(after)) > 0)
                .sorted(RESULT_ORDER)
                .limit(rows)
                .toList();
    }

    /** The vocabulary words a normalized query word matches: those it starts, and its nearest fuzzy neighbours. */
    private Set<String> vocabulary(String word) {
        Set<String> matching = new HashSet<>();
        vocabulary.stream().filter(v -> v.startsWith(word)).forEach(matching::add);
        List<String> similar = vocabulary.stream()
                .filter(v -> similarity(v, word) >= SIMILARITY_THRESHOLD)
                .sorted(Comparator.comparing((String v) -> similarity(v, word)).reversed())
                .toList();
        int nearest = PatientSearchQueries.FUZZY_WORDS;
        if (similar.size() > nearest && similarity(similar.get(nearest - 1), word) == similarity(similar.get(nearest),
                word)) {
            throw new IllegalStateException("the nearest neighbours of " + word + " tie at the limit: no one answer");
        }
        matching.addAll(similar.subList(0, Math.min(nearest, similar.size())));
        return matching;
    }

    /**
     * pg_trgm's {@code similarity}: the trigrams two texts share over those of either, each alphanumeric word
     * padded with two spaces before and one after; a {@code float4}, as PostgreSQL computes and compares it.
     */
    static float similarity(String a, String b) {
        Set<String> x = trigrams(a);
        Set<String> y = trigrams(b);
        long shared = x.stream().filter(y::contains).count();
        return x.isEmpty() || y.isEmpty() ? 0f : (float) shared / (float) (x.size() + y.size() - shared);
    }

    /** The texts as {@code lower(unaccent(...))}, by PostgreSQL. */
    private List<String> normalized(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return patients.rows("select lower(public.unaccent(w)) as n from unnest(?::text[]) with ordinality u(w, i)"
                + " order by i", (Object) texts.toArray(String[]::new)).stream().map(r -> (String) r.get("n")).toList();
    }

    private void named(UUID id, String mrn, HumanName name, LocalDate birthDate, Gender gender, boolean active,
                       Instant deceasedAt, UUID mergedInto, Map<String, String> normal) {
        Set<String> parts = new HashSet<>();
        rawParts(name).forEach(part -> parts.add(normal.get(part)));
        vocabulary.addAll(parts);
        put(new Match(id, mrn, name.family(), name.given(), birthDate,
                gender == null ? null : gender.name().toLowerCase(Locale.ROOT), active, deceasedAt, mergedInto,
                normal.get(sortName(name))), parts);
    }

    /** Every name and name part the events bring, normalized in one statement. */
    private Map<String, String> normalizedNames(PatientEvent... events) {
        List<String> texts = Stream.of(events).map(SearchModel::name).filter(Objects::nonNull)
                .flatMap(name -> Stream.concat(Stream.of(sortName(name)), rawParts(name).stream()))
                .distinct().toList();
        List<String> normalized = normalized(texts);
        Map<String, String> normal = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            normal.put(texts.get(i), normalized.get(i));
        }
        return normal;
    }

    private static HumanName name(PatientEvent event) {
        return switch (event) {
            case PatientRegistered e -> e.name();
            case PatientDemographicsUpdated e -> e.name();
            default -> null;
        };
    }

    /** The family and given names joined by spaces, as the sort key before it is normalized. */
    private static String sortName(HumanName name) {
        return Stream.concat(Stream.of(name.family()), name.given().stream()).collect(Collectors.joining(" "));
    }

    /** Each word or hyphen-separated part of the family and given names. */
    private static List<String> rawParts(HumanName name) {
        return Stream.concat(Stream.of(name.family()), name.given().stream())
                .flatMap(n -> Stream.of(n.split("[\\s-]+"))).filter(w -> !w.isEmpty()).toList();
    }

    private static Match with(Match m, boolean active, Instant deceasedAt, UUID mergedInto) {
        return new Match(m.patientId(), m.mrn(), m.family(), m.given(), m.birthDate(), m.gender(), active,
                deceasedAt, mergedInto, m.sortKey());
    }

    private void put(Match match, Set<String> parts) {
        byId.put(match.patientId(), new Patient(match, parts));
    }

    private static Match position(After after) {
        return new Match(after.patientId(), null, null, null, null, null, false, null, null, after.sortKey());
    }

    private static Set<String> trigrams(String text) {
        Set<String> trigrams = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!word.isEmpty()) {
                String padded = "  " + word + " ";
                for (int i = 0; i + 3 <= padded.length(); i++) {
                    trigrams.add(padded.substring(i, i + 3));
                }
            }
        }
        return trigrams;
    }
}
