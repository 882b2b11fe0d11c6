package dev.weft.api;

import dev.weft.core.Partitioner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Partitions keys into sorted, contiguous ranges: partition {@code i} holds keys up to {@code bounds[i]}.
 * {@code sortByKey} builds one from a sample of the keys so the ranges are about equally full.
 */
public final class RangePartitioner implements Partitioner {
    private final Object[] bounds;
    private final Comparator<Object> comparator;
    private final boolean ascending;

    public RangePartitioner(Object[] bounds, Comparator<Object> comparator, boolean ascending) {
        this.bounds = bounds.clone();
        this.comparator = Objects.requireNonNull(comparator, "comparator is null");
        this.ascending = ascending;
        for (int i = 1; i < this.bounds.length; i++) {
            if (comparator.compare(this.bounds[i - 1], this.bounds[i]) >= 0) {
                throw new IllegalArgumentException("range bounds must be strictly increasing at " + i);
            }
        }
    }

    /**
     * Picks up to {@code partitions - 1} bounds at the quantiles of {@code sample} (weighted equally).
     * Fewer distinct keys give fewer partitions.
     */
    public static RangePartitioner fromSample(
            List<Object> sample, int partitions, Comparator<Object> comparator, boolean ascending) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be > 0: " + partitions);
        }
        List<Object> sorted = new ArrayList<>(sample);
        sorted.sort(comparator);
        List<Object> bounds = new ArrayList<>();
        for (int i = 1; i < partitions && !sorted.isEmpty(); i++) {
            Object b = sorted.get((int) Math.min(sorted.size() - 1, (long) i * sorted.size() / partitions));
            if (bounds.isEmpty() || comparator.compare(bounds.get(bounds.size() - 1), b) < 0) {
                bounds.add(b);
            }
        }
        return new RangePartitioner(bounds.toArray(), comparator, ascending);
    }

    @Override
    public int numPartitions() {
        return bounds.length + 1;
    }

    @Override
    public int partition(Object key) {
        int lo = 0;
        int hi = bounds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (comparator.compare(key, bounds[mid]) <= 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return ascending ? lo : bounds.length - lo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangePartitioner r
                && r.ascending == ascending
                && Arrays.equals(r.bounds, bounds)
                && r.comparator.equals(comparator);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds) * 31 + (ascending ? 1 : 0);
    }

    @Override
    public String toString() {
        return "RangePartitioner(" + numPartitions() + (ascending ? ", ascending)" : ", descending)");
    }
}
