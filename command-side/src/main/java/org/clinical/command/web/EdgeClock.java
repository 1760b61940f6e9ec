package org.clinical.command.web;

import org.clinical.infra.web.BadRequestException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Ids and times are made here, at the edge, never inside aggregates; and times claimed by the client are
 * refused when they lie in the future beyond the allowed clock skew.
 */
public class EdgeClock {

    public static final Duration SKEW = Duration.ofMinutes(5);

    private final Clock clock;

    public EdgeClock(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public UUID newId() {
        return UUID.randomUUID();
    }

    public Instant notInFuture(String field, Instant claimed) {
        if (claimed != null && claimed.isAfter(now().plus(SKEW))) {
            throw new BadRequestException(field, "must not be in the future");
        }
        return claimed;
    }

    public LocalDate notInFuture(String field, LocalDate claimed) {
        if (claimed != null && claimed.isAfter(now().plus(SKEW).atOffset(ZoneOffset.UTC).toLocalDate())) {
            throw new BadRequestException(field, "must not be in the future");
        }
        return claimed;
    }
}
