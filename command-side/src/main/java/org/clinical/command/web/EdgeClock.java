package org.clinical.command.web;

import org.clinical.infra.ids.RandomIds;
import org.clinical.infra.web.BadRequestException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Ids and times are made here, at the edge, never inside aggregates. Times claimed by the client must lie in
 * the clinical range: not before {@link #FLOOR} (1800-01-01, UTC; which also keeps year 0 and negative years,
 * that PostgreSQL and the read models cannot hold alike, out of the store) and not in the future beyond the
 * allowed clock skew.
 */
public class EdgeClock {

    public static final Duration SKEW = Duration.ofMinutes(5);
    public static final LocalDate FLOOR = LocalDate.of(1800, 1, 1);
    private static final Instant FLOOR_INSTANT = FLOOR.atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final String TOO_EARLY = "must not be before " + FLOOR;

    private final Clock clock;

    public EdgeClock(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public UUID newId() {
        return RandomIds.next();
    }

    /** The claimed instant when it lies in the clinical range; else a 400 naming the field. */
    public Instant inRange(String field, Instant claimed) {
        if (claimed == null) {
            return null;
        }
        if (claimed.isBefore(FLOOR_INSTANT)) {
            throw new BadRequestException(field, TOO_EARLY);
        }
        if (claimed.isAfter(now().plus(SKEW))) {
            throw new BadRequestException(field, "must not be in the future");
        }
        return claimed;
    }

    /** The claimed date when it lies in the clinical range; else a 400 naming the field. */
    public LocalDate inRange(String field, LocalDate claimed) {
        if (claimed == null) {
            return null;
        }
        if (claimed.isBefore(FLOOR)) {
            throw new BadRequestException(field, TOO_EARLY);
        }
        if (claimed.isAfter(now().plus(SKEW).atOffset(ZoneOffset.UTC).toLocalDate())) {
            throw new BadRequestException(field, "must not be in the future");
        }
        return claimed;
    }
}
