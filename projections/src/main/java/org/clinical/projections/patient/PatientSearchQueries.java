package org.clinical.projections.patient;

import org.clinical.projections.readmodel.Read;
import org.clinical.projections.readmodel.Rows;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.RowMapper;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The patient search on the patients read model. Each word of the name must match some part of the patient's
 * family or given names, compared as {@code lower(unaccent(...))}: either as a prefix, or fuzzily (pg_trgm
 * similarity at its default threshold, 0.3). Filters combine with AND. Matches come in the order of the
 * normalized name and the patient id, and a walk goes on after such a pair, so it neither loses nor repeats a
 * patient while others are registered.
 */
public final class PatientSearchQueries {

    /**
     * Above this many patients for its only word, a search walks the sorted patients instead of sorting the
     * matches. Low, the walk loses: a family-name prefix ("schm") clusters its matches in result order, and the
     * walk crosses every patient sorted before them (bench: p99 173 ms at 2,000, with 100,000 patients).
     */
    static final int COLLECT_AT_MOST = 20_000;

    /** How many fuzzy neighbours of a query word count at most (nearest first). */
    static final int FUZZY_WORDS = 50;

    private PatientSearchQueries() {
    }

    /**
     * @param words     the distinct words of the name as given, none for any name
     * @param mrn       null for any
     * @param birthDate null for any
     */
    public record Filter(List<String> words, String mrn, LocalDate birthDate) {
    }

    /** The position after a match: its patient id and sort key. */
    public record After(UUID patientId, String sortKey) {
    }

    /** A matching patient, with the sort key that places it in the results. */
    public record Match(UUID patientId, String mrn, String family, List<String> given, LocalDate birthDate,
                        String gender, boolean active, Instant deceasedAt, UUID mergedInto, String sortKey) {
    }

    private static final String SELECT = "select p.patient_id, p.mrn, p.family, p.given, p.birth_date, p.gender,"
            + " p.active, p.deceased_at, p.merged_into, p.sort_key";

    private static final RowMapper<Match> MATCH = (rs, i) -> new Match(rs.getObject(1, UUID.class), rs.getString(2),
            rs.getString(3), PatientSummaryQueries.strings(rs.getArray(4)), rs.getObject(5, LocalDate.class),
            rs.getString(6), rs.getBoolean(7), Rows.instant(rs, 8), rs.getObject(9, UUID.class), rs.getString(10));

    /** Up to {@code rows} matches in result order, those after {@code after} (null: from the first). */
    public static List<Match> search(Read read, Filter filter, After after, int rows) {
        List<String[]> vocabularies = new ArrayList<>();
        for (String word : normalized(read, filter.words())) {
            String[] matching = vocabulary(read, word);
            if (matching.length == 0) {
                return List.of();
            }
            vocabularies.add(matching);
        }
        boolean filtered = filter.mrn() != null || filter.birthDate() != null;
        int collectBy = filtered || vocabularies.isEmpty() ? -1 : rarest(read, vocabularies);
        boolean walk = !filtered && collectBy < 0 && !vocabularies.isEmpty();
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder(SELECT);
        if (collectBy >= 0) {
            // The few patients of the rarest word, sorted from the name-part index, the page joined last.
            sql.append(" from (select n.sort_key, n.patient_id from {patients}.patient_name_part n"
                    + " where n.part = any(?::text[])");
            args.add(vocabularies.get(collectBy));
            appendOtherWords(sql, args, vocabularies, collectBy, "n");
            appendAfter(sql, args, after, "n");
            sql.append(" group by n.sort_key, n.patient_id order by n.sort_key, n.patient_id limit ?) c"
                    + " join {patients}.patient p on p.patient_id = c.patient_id order by c.sort_key, c.patient_id");
        } else {
            // Walks the patients in result order (or the few of an MRN or birth date), checking each one's words.
            sql.append(" from {patients}.patient p where true");
            if (filter.mrn() != null) {
                sql.append(" and p.mrn = ?");
                args.add(filter.mrn());
            }
            if (filter.birthDate() != null) {
                sql.append(" and p.birth_date = ?");
                args.add(filter.birthDate());
            }
            appendOtherWords(sql, args, vocabularies, -1, "p");
            appendAfter(sql, args, after, "p");
            sql.append(" order by p.sort_key, p.patient_id limit ?");
        }
        args.add(rows);
        return walk ? walking(read, read.sql(sql.toString()), args)
                : read.jdbc().query(read.sql(sql.toString()), MATCH, args.toArray());
    }

    /**
     * A common word matches many patients: walking the sort index and checking each patient's parts fills a
     * page after a few hundred rows, but the planner cannot know the array matches densely and would sort all
     * matches instead. So this one query runs with sorting (and parallel workers, pure overhead here) off.
     */
    private static List<Match> walking(Read read, String sql, List<Object> args) {
        return read.jdbc().execute((ConnectionCallback<List<Match>>) connection -> {
            connection.setAutoCommit(false);
            try (Statement settings = connection.createStatement()) {
                settings.execute("set local enable_sort = off; set local max_parallel_workers_per_gather = 0");
                try (PreparedStatement query = connection.prepareStatement(sql)) {
                    for (int i = 0; i < args.size(); i++) {
                        query.setObject(i + 1, args.get(i));
                    }
                    List<Match> matches = new ArrayList<>();
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            matches.add(MATCH.mapRow(rs, matches.size()));
                        }
                    }
                    return matches;
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        });
    }

    /** Each word but {@code except} must match one of the patient's parts: a primary-key probe per patient. */
    private static void appendOtherWords(StringBuilder sql, List<Object> args, List<String[]> vocabularies,
                                         int except, String alias) {
        for (int i = 0; i < vocabularies.size(); i++) {
            if (i != except) {
                sql.append(" and exists (select 1 from {patients}.patient_name_part m where m.patient_id = ")
                        .append(alias).append(".patient_id and m.part = any(?::text[]))");
                args.add(vocabularies.get(i));
            }
        }
    }

    private static void appendAfter(StringBuilder sql, List<Object> args, After after, String alias) {
        if (after != null) {
            sql.append(" and (").append(alias).append(".sort_key, ").append(alias).append(".patient_id) > (?, ?)");
            args.add(after.sortKey());
            args.add(after.patientId());
        }
    }

    /**
     * The vocabulary words a query word matches: as a prefix (btree), or by trigram similarity at pg_trgm's
     * threshold (0.3), the {@value #FUZZY_WORDS} nearest (GiST).
     */
    private static String[] vocabulary(Read read, String word) {
        return read.jdbc().queryForList(read.sql("select word from {patients}.name_word where word like ?"
                        + " union select word from (select word from {patients}.name_word"
                        + " where word operator(public.%) ? order by word operator(public.<->) ? limit "
                        + FUZZY_WORDS + ") f"), String.class, escapeLike(word) + "%", word, word)
                .toArray(String[]::new);
    }

    /**
     * Two plans, chosen per query. When some word matches few patients (at most {@value #COLLECT_AT_MOST}), those
     * are collected by exact part and sorted: the answer index of the other words. When every word is common,
     * the patients are walked in result order and each is checked by its parts' primary key: matches are dense,
     * so a page fills after a few hundred rows. Answers the index of the word to collect by, or -1 to walk.
     * A word's count is of its name-part rows, an upper bound of its patients (a patient whose two parts both
     * match counts twice): cheap, and it only chooses the plan, never the answer.
     */
    private static int rarest(Read read, List<String[]> vocabularies) {
        int best = -1;
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < vocabularies.size(); i++) {
            Long parts = read.jdbc().queryForObject(read.sql("select count(*) from (select 1 from"
                    + " {patients}.patient_name_part where part = any(?::text[]) limit " + (COLLECT_AT_MOST + 1)
                    + ") x"), Long.class, (Object) vocabularies.get(i));
            if (parts != null && parts < fewest) {
                fewest = parts;
                best = i;
            }
        }
        // One common word: walk. Several: collect by the rarest, the others rarely all match the same patients.
        return fewest <= COLLECT_AT_MOST || vocabularies.size() > 1 ? best : -1;
    }

    /** The words normalized by PostgreSQL itself, so they compare exactly as the stored parts. */
    private static List<String> normalized(Read read, List<String> words) {
        if (words.isEmpty()) {
            return List.of();
        }
        return read.jdbc().queryForList("select distinct lower(public.unaccent(w)) from unnest(?::text[]) w",
                String.class, (Object) words.toArray(String[]::new));
    }

    private static String escapeLike(String word) {
        return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
