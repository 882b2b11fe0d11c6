package dev.weft.ui;

import java.util.Arrays;

/**
 * Minimum, quartiles and maximum of a set of values (nearest-rank), as a stage's task summary shows them; all 0 for
 * no values.
 */
public record Quantiles(long count, long min, long p25, long median, long p75, long max) {

    public static Quantiles of(long[] values) {
        if (values.length == 0) {
            return new Quantiles(0, 0, 0, 0, 0, 0);
        }
        long[] v = values.clone();
        Arrays.sort(v);
        return new Quantiles(v.length, v[0], rank(v, 0.25), rank(v, 0.5), rank(v, 0.75), v[v.length - 1]);
    }

    private static long rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
