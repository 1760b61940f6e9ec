package org.clinical.projections.observation;

import java.math.BigDecimal;

/**
 * The log-scale histogram buckets of the observation statistics (after DDSketch): a value {@code v != 0} falls in
 * bucket {@code k = ceil(log_gamma(|v|))} of its sign, {@code gamma = (1 + alpha) / (1 - alpha)}; zero has a
 * bucket of its own ({@code sign 0, k 0}). A bucket stands for {@code 2 gamma^k / (gamma + 1)}, which is within
 * relative error {@value #ALPHA} of every value in it: a percentile read from the buckets is within 1 % of the
 * actual sample value at that rank.
 */
public final class StatsBuckets {

    public static final double ALPHA = 0.01;
    private static final double GAMMA = (1 + ALPHA) / (1 - ALPHA);
    private static final double LN_GAMMA = Math.log(GAMMA);

    private StatsBuckets() {
    }

    public static int sign(BigDecimal value) {
        return value.signum();
    }

    public static int index(BigDecimal value) {
        if (value.signum() == 0) {
            return 0;
        }
        return (int) Math.ceil(Math.log(value.abs().doubleValue()) / LN_GAMMA);
    }

    /** The value a bucket stands for. */
    public static double value(int sign, int k) {
        return sign == 0 ? 0 : sign * 2 * Math.pow(GAMMA, k) / (GAMMA + 1);
    }
}
