package org.clinical.query.encounter;

import org.clinical.events.encounter.EncounterClass;
import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.Page;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** Query parameters of the encounter reads, refused with 400 naming the parameter. */
final class EncounterParameters {

    /** Four-digit years only: every such date is a PostgreSQL date and sorts as its text. */
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private EncounterParameters() {
    }

    static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field, "must be a UUID");
        }
    }

    static EncounterClass encounterClass(String value) {
        try {
            return EncounterClass.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("class", "must be one of " + Arrays.toString(EncounterClass.values()));
        }
    }

    static Instant instant(String value) {
        return Instant.parse(value);
    }

    /** An inclusive range of UTC days, both required, {@code from} not after {@code to}. */
    record Days(LocalDate from, LocalDate to) {

        static Days of(String from, String to) {
            Days days = new Days(date("from", from), date("to", to));
            if (days.from.isAfter(days.to)) {
                throw new BadRequestException("to", "must not be before from");
            }
            return days;
        }

        private static LocalDate date(String field, String value) {
            if (value == null || value.isEmpty()) {
                throw new BadRequestException(field, "is required (YYYY-MM-DD)");
            }
            try {
                if (DATE.matcher(value).matches()) {
                    return LocalDate.parse(value);
                }
            } catch (DateTimeParseException e) {
                // answered below
            }
            throw new BadRequestException(field, "must be a date YYYY-MM-DD");
        }
    }

    /**
     * One page of a range of days: the days after the cursor's (the last day of the previous page), at most
     * {@code limit} of them.
     */
    record DayPage(LocalDate from, LocalDate to, int limit) {

        static DayPage of(Days days, Integer limit, String cursor) {
            int size = Page.limit(limit);
            String after = Page.decode(cursor);
            if (after == null) {
                return new DayPage(days.from(), days.to(), size);
            }
            LocalDate last;
            try {
                last = LocalDate.parse(after);
            } catch (DateTimeParseException e) {
                throw new BadRequestException("cursor", "is not a cursor returned by this list");
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
        Page<EncounterAnalyticsController.DailyCount> of(List<EncounterAnalyticsController.DailyCount> rows) {
            return Page.of(rows, limit, row -> row.day().toString());
        }
    }
}
