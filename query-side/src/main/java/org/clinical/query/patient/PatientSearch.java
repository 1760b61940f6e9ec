package org.clinical.query.patient;

import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.Page;
import org.clinical.query.patient.PatientSummary.Found;
import org.clinical.query.patient.PatientSummary.Name;
import org.clinical.query.web.ReadModels.Read;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The patient search. Each word (or hyphen-separated part) of {@code name} must match some part of the
 * patient's family or given names, compared as {@code lower(unaccent(...))}: either as a prefix, or fuzzily
 * (pg_trgm similarity at its default threshold, 0.3). Filters combine with AND. Results are ordered by the
 * normalized name and the patient id, and the cursor is that pair, so a walk through the pages neither loses
 * nor repeats a patient while others are registered.
 */
@Component
public class PatientSearch {

    static final int MAX_WORDS = 8;

    public record Criteria(String name, String mrn, String birthDate, Integer limit, String cursor) {
    }

    private record Row(Found item, String sortKey) {
    }

    public Page<Found> search(Read read, Criteria criteria) {
        int limit = Page.limit(criteria.limit());
        LocalDate birthDate = birthDate(criteria.birthDate());
        Cursor after = Cursor.decode(criteria.cursor());
        List<String> words = words(read, criteria.name());
        StringBuilder sql = new StringBuilder("select p.patient_id, p.mrn, p.family, p.given, p.birth_date, p.gender,"
                + " p.active, p.deceased_at, p.merged_into, p.sort_key from {patients}.patient p where true");
        List<Object> args = new ArrayList<>();
        if (criteria.mrn() != null && !criteria.mrn().isEmpty()) {
            sql.append(" and p.mrn = ?");
            args.add(criteria.mrn());
        }
        if (birthDate != null) {
            sql.append(" and p.birth_date = ?");
            args.add(birthDate);
        }
        for (String word : words) {
            sql.append(" and p.patient_id in (select n.patient_id from {patients}.patient_name_part n"
                    + " where n.part like ? or n.part operator(public.%) ?)");
            args.add(escapeLike(word) + "%");
            args.add(word);
        }
        if (after != null) {
            sql.append(" and (p.sort_key, p.patient_id) > (?, ?)");
            args.add(after.sortKey());
            args.add(after.patientId());
        }
        sql.append(" order by p.sort_key, p.patient_id limit ?");
        args.add(limit + 1);
        List<Row> rows = read.jdbc().query(read.sql(sql.toString()), (rs, i) -> new Row(new Found(
                rs.getObject(1, UUID.class), rs.getString(2), new Name(rs.getString(3), PatientReads.strings(rs.getArray(4))),
                rs.getObject(5, LocalDate.class), rs.getString(6), rs.getBoolean(7), PatientReads.instant(rs, 8),
                rs.getObject(9, UUID.class)), rs.getString(10)), args.toArray());
        Page<Row> page = Page.of(rows, limit, row -> Cursor.encode(row.sortKey(), row.item().patientId()));
        return new Page<>(page.items().stream().map(Row::item).toList(), page.nextCursor());
    }

    /** The words of the name, normalized by PostgreSQL itself so they compare exactly as the stored parts. */
    private static List<String> words(Read read, String name) {
        if (name == null) {
            return List.of();
        }
        String[] words = Arrays.stream(name.split("[\\s\\-]+")).filter(w -> !w.isEmpty()).distinct()
                .toArray(String[]::new);
        if (words.length == 0) {
            return List.of();
        }
        if (words.length > MAX_WORDS) {
            throw new BadRequestException("name", "at most " + MAX_WORDS + " words");
        }
        return read.jdbc().queryForList("select distinct lower(public.unaccent(w)) from unnest(?::text[]) w",
                String.class, (Object) words);
    }

    private static LocalDate birthDate(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("birthDate", "must be a date YYYY-MM-DD");
        }
    }

    private static String escapeLike(String word) {
        return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The position after a result: its sort key and patient id, the id last so the key may hold anything. */
    private record Cursor(String sortKey, UUID patientId) {

        static String encode(String sortKey, UUID patientId) {
            return sortKey + "|" + patientId;
        }

        static Cursor decode(String cursor) {
            String text = Page.decode(cursor);
            if (text == null) {
                return null;
            }
            int bar = text.lastIndexOf('|');
            try {
                if (bar < 0) {
                    throw new IllegalArgumentException("no patient id");
                }
                return new Cursor(text.substring(0, bar), UUID.fromString(text.substring(bar + 1)));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("cursor", "is not a cursor returned by this list");
            }
        }
    }
}
