package org.clinical.query.encounter;

import org.clinical.infra.web.Cursor;
import org.clinical.infra.web.Page;
import org.clinical.projections.encounter.EncounterDailyQueries.DailyCount;
import org.clinical.query.web.QueryParameters.Days;

import java.time.LocalDate;
import java.util.List;

/**
 * One page of a range of days: the days after the cursor's (the last day of the previous page), at most
 * {@code limit} of them.
 */
record DayPage(LocalDate from, LocalDate to, int limit) {

    static DayPage of(Days days, Integer limit, String cursor) {
        int size = Page.limit(limit);
        LocalDate last = Cursor.read(cursor, 1, Cursor.Parts::day);
        if (last == null) {
            return new DayPage(days.from(), days.to(), size);
        }
        if (!last.isBefore(days.to())) {
            return new DayPage(days.to().plusDays(1), days.to(), size);
        }
        LocalDate next = last.plusDays(1);
        return new DayPage(next.isAfter(days.from()) ? next : days.from(), days.to(), size);
    }

    /** The cursor's day was the range's last: nothing is left to read. */
    boolean isPastTheEnd() {
        return from.isAfter(to);
    }

    /** @param rows up to {@code limit + 1} days, in order */
    Page<DailyCount> of(List<DailyCount> rows) {
        return Page.of(rows, limit, row -> Cursor.after(row.day()));
    }
}
