package org.clinical.query.web;

import org.clinical.events.encounter.EncounterClass;
import org.clinical.infra.web.BadRequestException;
import org.clinical.infra.web.NotFoundException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.UUID;
import java.util.regex.Pattern;

/** The reads' query parameters, parsed; a bad value answers 400 naming the parameter. */
public final class QueryParameters {

    /** Four-digit years only: every such date is a PostgreSQL date and sorts as its text. */
    private static final Pattern FOUR_DIGIT_YEAR_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private QueryParameters() {
    }

    /** A patient id from the path: one that is not a UUID names no patient (404, not 400). */
    public static UUID patientId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw unknownPatient(id);
        }
    }

    public static NotFoundException unknownPatient(String id) {
        return new NotFoundException("no patient " + id + " in this tenant");
    }

    public static UUID uuid(String name, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(name, "must be a UUID");
        }
    }

    public static EncounterClass encounterClass(String name, String value) {
        try {
            return EncounterClass.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(name, "must be one of " + Arrays.toString(EncounterClass.values()));
        }
    }

    /** An ISO-8601 instant with offset; null when absent or blank. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name, "must be an ISO-8601 instant with offset, e.g. 2025-03-01T08:15:00Z");
        }
    }

    /** A date {@code YYYY-MM-DD}; null when absent or blank. */
    public static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return day(name, value);
    }

    /** A date {@code YYYY-MM-DD}, present. */
    public static LocalDate day(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name, "must be a date YYYY-MM-DD");
        }
    }

    /** A range of days may be open at either end; {@code to} is not before {@code from}. */
    public static void requireOrdered(LocalDate from, LocalDate to) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new BadRequestException("to", "must not be before from");
        }
    }

    /** {@code system|code}, or a bare code matching it in any system. */
    public record CodeFilter(String system, String code) {

        public static CodeFilter parse(String name, String value, boolean required) {
            if (value == null || value.isBlank()) {
                if (required) {
                    throw new BadRequestException(name, "is required (system|code, or a bare code)");
                }
                return null;
            }
            int bar = value.indexOf('|');
            String system = bar < 0 ? null : value.substring(0, bar);
            String code = bar < 0 ? value : value.substring(bar + 1);
            if (code.isBlank() || (system != null && system.isBlank())) {
                throw new BadRequestException(name, "must be system|code or a bare code");
            }
            return new CodeFilter(system, code);
        }
    }

    /** An inclusive range of UTC days, both required with four-digit years, {@code from} not after {@code to}. */
    public record Days(LocalDate from, LocalDate to) {

        public static Days of(String from, String to) {
            Days days = new Days(required("from", from), required("to", to));
            requireOrdered(days.from, days.to);
            return days;
        }

        private static LocalDate required(String name, String value) {
            if (value == null || value.isEmpty()) {
                throw new BadRequestException(name, "is required (YYYY-MM-DD)");
            }
            if (!FOUR_DIGIT_YEAR_DATE.matcher(value).matches()) {
                throw new BadRequestException(name, "must be a date YYYY-MM-DD");
            }
            return day(name, value);
        }
    }
}
