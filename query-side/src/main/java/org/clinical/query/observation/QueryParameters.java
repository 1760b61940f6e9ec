package org.clinical.query.observation;

import org.clinical.infra.web.BadRequestException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Parsing of the observation reads' query parameters; a bad value answers 400 naming the parameter. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** {@code system|code}, or a bare code matching it in any system. */
    record CodeFilter(String system, String code) {

        static CodeFilter parse(String name, String value, boolean required) {
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

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name, "must be an ISO-8601 instant with offset, e.g. 2025-03-01T08:15:00Z");
        }
    }

    static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name, "must be a date YYYY-MM-DD");
        }
    }
}
