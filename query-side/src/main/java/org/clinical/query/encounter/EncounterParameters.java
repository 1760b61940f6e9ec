package org.clinical.query.encounter;

import org.clinical.events.encounter.EncounterClass;
import org.clinical.infra.web.BadRequestException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;

/** Query parameters of the encounter reads, refused with 400 naming the parameter. */
final class EncounterParameters {

    /** Ten years of days: enough for any report, small enough to stay within the query timeout. */
    static final long MAX_DAYS = 3660;

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
            if (ChronoUnit.DAYS.between(days.from, days.to) >= MAX_DAYS) {
                throw new BadRequestException("to", "the range may span at most " + MAX_DAYS + " days");
            }
            return days;
        }

        private static LocalDate date(String field, String value) {
            if (value == null || value.isEmpty()) {
                throw new BadRequestException(field, "is required (YYYY-MM-DD)");
            }
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                throw new BadRequestException(field, "must be a date YYYY-MM-DD");
            }
        }
    }
}
