package org.clinical.query.observation;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The answer of the observation statistics: one summary, or a summary per day or per facility. */
public sealed interface ObservationStats {

    /** @param unit null when the values have several units */
    record Summary(long count, BigDecimal min, BigDecimal max, Double mean, Double p50, Double p95, String unit)
            implements ObservationStats {

        static final Summary NONE = new Summary(0, null, null, null, null, null, null);
    }

    record ByDay(LocalDate day, @JsonUnwrapped Summary summary) {
    }

    /** @param facilityId null for the observations without an encounter */
    record ByFacility(UUID facilityId, @JsonUnwrapped Summary summary) {
    }

    record Items<T>(List<T> items) implements ObservationStats {
    }
}
