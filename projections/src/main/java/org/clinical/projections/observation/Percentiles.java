package org.clinical.projections.observation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Percentiles read from the log-scale histogram of {@link StatsBuckets}. The q-th percentile is the sample at
 * rank {@code floor(q * (n - 1))} (0-based) of the sorted values; the answer is the value its bucket stands for,
 * kept within [min, max], so it is within {@link StatsBuckets#ALPHA} relative error of that sample.
 */
final class Percentiles {

    private static final Comparator<Bucket> ORDER = Comparator.comparingInt(Bucket::sign)
            .thenComparingInt(b -> b.sign() < 0 ? -b.k() : b.k());

    private final List<Bucket> buckets = new ArrayList<>();

    record Bucket(int sign, int k, long count) {
    }

    void add(int sign, int k, long count) {
        buckets.add(new Bucket(sign, k, count));
    }

    Double percentile(double q, Double min, Double max) {
        long n = buckets.stream().mapToLong(Bucket::count).sum();
        if (n == 0) {
            return null;
        }
        buckets.sort(ORDER);
        long rank = (long) Math.floor(q * (n - 1));
        long seen = 0;
        for (Bucket bucket : buckets) {
            seen += bucket.count();
            if (seen > rank) {
                double value = StatsBuckets.value(bucket.sign(), bucket.k());
                if (min != null && value < min) {
                    value = min;
                }
                if (max != null && value > max) {
                    value = max;
                }
                return value;
            }
        }
        return max;
    }
}
