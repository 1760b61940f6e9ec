package org.clinical.events.observation;

import java.math.BigDecimal;

/** The normal range of a quantity; either bound may be open. */
public record ReferenceRange(BigDecimal low, BigDecimal high) {

    public Interpretation interpret(BigDecimal value) {
        if (low != null && value.compareTo(low) < 0) {
            return Interpretation.L;
        }
        if (high != null && value.compareTo(high) > 0) {
            return Interpretation.H;
        }
        return Interpretation.N;
    }

    public enum Interpretation { L, N, H }
}
