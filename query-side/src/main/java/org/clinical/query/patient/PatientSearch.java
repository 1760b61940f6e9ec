package org.clinical.query.patient;

import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.Page;
import org.clinical.projections.patient.PatientSearchQueries;
import org.clinical.projections.patient.PatientSearchQueries.After;
import org.clinical.projections.patient.PatientSearchQueries.Filter;
import org.clinical.projections.patient.PatientSearchQueries.Match;
import org.clinical.projections.readmodel.Read;
import org.clinical.query.patient.PatientSummary.Found;
import org.clinical.query.patient.PatientSummary.Name;
import org.clinical.query.web.QueryParameters;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/**
 * The patient search's parameters and pages. Each word (or hyphen-separated part) of {@code name} must match
 * some part of the patient's names ({@link PatientSearchQueries}); the cursor is the sort key and patient id of
 * the last item, so a walk through the pages neither loses nor repeats a patient while others are registered.
 */
@Component
public class PatientSearch {

    static final int MAX_WORDS = 8;

    public record Criteria(String name, String mrn, String birthDate, Integer limit, String cursor) {
    }

    public Page<Found> search(Read read, Criteria criteria) {
        int limit = Page.limit(criteria.limit());
        LocalDate birthDate = birthDate(criteria.birthDate());
        After after = after(criteria.cursor());
        String mrn = criteria.mrn() == null || criteria.mrn().isEmpty() ? null : criteria.mrn();
        List<Match> rows = PatientSearchQueries.search(read, new Filter(words(criteria.name()), mrn, birthDate),
                after, limit + 1);
        Page<Match> page = Page.of(rows, limit, row -> Cursor.after(row.patientId(), row.sortKey()));
        return new Page<>(page.items().stream().map(PatientSearch::found).toList(), page.nextCursor());
    }

    private static Found found(Match m) {
        return new Found(m.patientId(), m.mrn(), new Name(m.family(), m.given()), m.birthDate(), m.gender(),
                m.active(), m.deceasedAt(), m.mergedInto());
    }

    /** The distinct words and hyphen-separated parts of the name. */
    private static List<String> words(String name) {
        if (name == null) {
            return List.of();
        }
        List<String> words = Arrays.stream(name.split("[\\s\\-]+")).filter(w -> !w.isEmpty()).distinct().toList();
        if (words.size() > MAX_WORDS) {
            throw new BadRequestException("name", "at most " + MAX_WORDS + " words");
        }
        return words;
    }

    /** Unlike the other reads' dates, a blank one is refused: only an empty one means none. */
    private static LocalDate birthDate(String text) {
        return text == null || text.isEmpty() ? null : QueryParameters.day("birthDate", text);
    }

    /** The position after a result: its patient id and sort key, the key last so it may hold anything. */
    private static After after(String cursor) {
        return Cursor.read(cursor, 2, parts -> new After(parts.uuid(), parts.text()));
    }
}
