package org.clinical.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Durations that Gatling's own report cannot give: the time from one step of a chain to a later one (the
 * projection lag: from the answer to a write until a read with {@code X-Min-Position} answers), or one figure
 * per kind of request. Recorded in microseconds, kept in full (a 60 s run at 1,000/s is 60,000 values), and
 * printed at the end of the run as one line per name, which {@code bench.py summary} passes on:
 * <pre>latency &lt;name&gt; (ms): count 60000 p50 3.1 p95 6.0 p99 9.8 max 41.2 failed 0</pre>
 * ({@code failed}: chains that ended in an error, whose duration is not counted).
 */
final class Latencies {

    private final Map<String, Series> series = new TreeMap<>();

    synchronized void record(String name, long nanos) {
        series.computeIfAbsent(name, n -> new Series()).add(nanos / 1_000);
    }

    /** A chain that failed: counted apart, its duration left out. */
    synchronized void failed(String name) {
        series.computeIfAbsent(name, n -> new Series()).failed++;
    }

    /** One line per name, in name order. */
    synchronized String report() {
        StringBuilder lines = new StringBuilder();
        series.forEach((name, values) -> {
            long[] sorted = values.sorted();
            lines.append(String.format(Locale.ROOT, "latency %s (ms): count %d p50 %.1f p95 %.1f p99 %.1f max %.1f failed %d%n",
                    name, sorted.length, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
                    sorted.length == 0 ? 0.0 : sorted[sorted.length - 1] / 1000.0, values.failed));
        });
        return lines.toString();
    }

    /** Nearest-rank percentile, in milliseconds. */
    private static double percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            return 0.0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000.0;
    }

    private static final class Series {
        private long[] values = new long[1 << 14];
        private int size;
        private long failed;

        void add(long micros) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = micros;
        }

        long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}
