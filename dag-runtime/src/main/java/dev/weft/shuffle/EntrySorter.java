package dev.weft.shuffle;

/**
 * Sorts a {@link RecordBuffer}'s pointer array in place, without boxing: first an in-place bucket sort by
 * partition (O(n), no second array), then, unless the ordering is NONE, an introsort of each partition's
 * range (quicksort with median-of-three Hoare partitioning, which stays balanced on many equal keys;
 * heapsort past a depth limit; insertion sort for short ranges).
 *
 * <p>Key comparison, in the order of {@link KeyOrder}: when bytes suffice, the 8-byte prefixes first and
 * the full key bytes only on a tie. Otherwise the keys are deserialized once up front, the prefix slot is
 * overwritten with each record's ordinal into that key array, and records compare as objects.
 *
 * <p>Not thread-safe; one instance sorts one buffer once.
 */
final class EntrySorter {
    private static final int INSERTION_THRESHOLD = 16;

    private final RecordBuffer buffer;
    private final long[] a;
    private final KeyOrder order;
    private final boolean bytesOnly;
    private Object[] keys;
    private boolean[] orderPreserving;

    private EntrySorter(RecordBuffer buffer, KeyOrder order) {
        this.buffer = buffer;
        this.a = buffer.entries();
        this.order = order;
        this.bytesOnly = order.ordering() == KeyOrdering.GROUPED
                || (order.bytesSufficeForOrderPreserving() && buffer.allKeysOrderPreserving());
    }

    /** Sorts the buffer; returns the start index of each partition's records, plus the end. */
    static int[] sort(RecordBuffer buffer, int numPartitions, KeyOrder order) {
        return new EntrySorter(buffer, order).run(numPartitions);
    }

    private int[] run(int numPartitions) {
        int n = buffer.size();
        int[] starts = bucketByPartition(n, numPartitions);
        if (order.ordering() == KeyOrdering.NONE) {
            return starts;
        }
        if (!bytesOnly) {
            decodeKeys(n);
        }
        for (int p = 0; p < numPartitions; p++) {
            if (starts[p + 1] - starts[p] > 1) {
                introsort(starts[p], starts[p + 1], 2 * (32 - Integer.numberOfLeadingZeros(starts[p + 1] - starts[p])));
            }
        }
        return starts;
    }

    private int[] bucketByPartition(int n, int numPartitions) {
        int[] starts = new int[numPartitions + 1];
        for (int i = 0; i < n; i++) {
            starts[RecordBuffer.partitionOf(a[2 * i]) + 1]++;
        }
        for (int p = 0; p < numPartitions; p++) {
            starts[p + 1] += starts[p];
        }
        if (numPartitions == 1) {
            return starts;
        }
        int[] next = java.util.Arrays.copyOf(starts, numPartitions);
        for (int b = 0; b < numPartitions; b++) {
            int end = starts[b + 1];
            while (next[b] < end) {
                int i = next[b];
                long m = a[2 * i];
                long x = a[2 * i + 1];
                int d = RecordBuffer.partitionOf(m);
                // Follow the cycle: drop the held record into its bucket, pick up the one it displaces.
                while (d != b) {
                    int j = next[d]++;
                    long m2 = a[2 * j];
                    long x2 = a[2 * j + 1];
                    a[2 * j] = m;
                    a[2 * j + 1] = x;
                    m = m2;
                    x = x2;
                    d = RecordBuffer.partitionOf(m);
                }
                a[2 * i] = m;
                a[2 * i + 1] = x;
                next[b]++;
            }
        }
        return starts;
    }

    private void decodeKeys(int n) {
        keys = new Object[n];
        orderPreserving = new boolean[n];
        dev.weft.serde.RecordInput in = new dev.weft.serde.RecordInput();
        for (int i = 0; i < n; i++) {
            long m = a[2 * i];
            byte[] page = buffer.pageOf(m);
            int off = RecordBuffer.offsetOf(m);
            int len = Varints.read(page, off);
            int kOff = off + Varints.size(len);
            keys[i] = order.keySerializer().read(in.reset(page, kOff, len));
            orderPreserving[i] = order.keySerializer().orderPreserving(page, kOff, len);
            a[2 * i + 1] = i;
        }
    }

    private int compare(long mA, long xA, long mB, long xB) {
        return order.direction() * compareAscending(mA, xA, mB, xB);
    }

    private int compareAscending(long mA, long xA, long mB, long xB) {
        if (bytesOnly) {
            int c = Long.compareUnsigned(xA, xB);
            return c != 0 ? c : compareKeyBytes(mA, mB);
        }
        int i = (int) xA;
        int j = (int) xB;
        if (order.ordering() == KeyOrdering.SORTED
                && !(order.bytesSufficeForOrderPreserving() && orderPreserving[i] && orderPreserving[j])) {
            int c = order.compareObjects(keys[i], keys[j]);
            if (c != 0) {
                return c;
            }
        }
        return compareKeyBytes(mA, mB);
    }

    private int compareKeyBytes(long mA, long mB) {
        byte[] pa = buffer.pageOf(mA);
        int oa = RecordBuffer.offsetOf(mA);
        int la = Varints.read(pa, oa);
        byte[] pb = buffer.pageOf(mB);
        int ob = RecordBuffer.offsetOf(mB);
        int lb = Varints.read(pb, ob);
        return KeyOrder.compareBytes(pa, oa + Varints.size(la), la, pb, ob + Varints.size(lb), lb);
    }

    private int cmp(int i, int j) {
        return compare(a[2 * i], a[2 * i + 1], a[2 * j], a[2 * j + 1]);
    }

    private void swap(int i, int j) {
        long m = a[2 * i];
        long x = a[2 * i + 1];
        a[2 * i] = a[2 * j];
        a[2 * i + 1] = a[2 * j + 1];
        a[2 * j] = m;
        a[2 * j + 1] = x;
    }

    /** Sorts records {@code [lo, hi)}. */
    private void introsort(int lo, int hi, int depth) {
        while (hi - lo > INSERTION_THRESHOLD) {
            if (depth-- == 0) {
                heapsort(lo, hi);
                return;
            }
            int split = partition(lo, hi);
            // Recurse into the smaller side, loop on the larger: stack depth stays logarithmic.
            if (split - lo < hi - split) {
                introsort(lo, split, depth);
                lo = split;
            } else {
                introsort(split, hi, depth);
                hi = split;
            }
        }
        insertionSort(lo, hi);
    }

    /** Hoare partition around the median of three; returns a split in (lo, hi) with both sides non-empty. */
    private int partition(int lo, int hi) {
        int last = hi - 1;
        int mid = (lo + last) >>> 1;
        if (cmp(mid, lo) < 0) {
            swap(mid, lo);
        }
        if (cmp(last, mid) < 0) {
            swap(last, mid);
            if (cmp(mid, lo) < 0) {
                swap(mid, lo);
            }
        }
        long pm = a[2 * mid];
        long px = a[2 * mid + 1];
        int i = lo - 1;
        int j = hi;
        while (true) {
            do {
                i++;
            } while (compare(a[2 * i], a[2 * i + 1], pm, px) < 0);
            do {
                j--;
            } while (compare(a[2 * j], a[2 * j + 1], pm, px) > 0);
            if (i >= j) {
                return j + 1;
            }
            swap(i, j);
        }
    }

    private void insertionSort(int lo, int hi) {
        for (int i = lo + 1; i < hi; i++) {
            long m = a[2 * i];
            long x = a[2 * i + 1];
            int j = i - 1;
            while (j >= lo && compare(a[2 * j], a[2 * j + 1], m, x) > 0) {
                a[2 * j + 2] = a[2 * j];
                a[2 * j + 3] = a[2 * j + 1];
                j--;
            }
            a[2 * j + 2] = m;
            a[2 * j + 3] = x;
        }
    }

    private void heapsort(int lo, int hi) {
        int n = hi - lo;
        for (int k = n / 2 - 1; k >= 0; k--) {
            siftDown(lo, k, n);
        }
        for (int end = n - 1; end > 0; end--) {
            swap(lo, lo + end);
            siftDown(lo, 0, end);
        }
    }

    private void siftDown(int lo, int k, int n) {
        while (2 * k + 1 < n) {
            int child = 2 * k + 1;
            if (child + 1 < n && cmp(lo + child + 1, lo + child) > 0) {
                child++;
            }
            if (cmp(lo + k, lo + child) >= 0) {
                return;
            }
            swap(lo + k, lo + child);
            k = child;
        }
    }
}
