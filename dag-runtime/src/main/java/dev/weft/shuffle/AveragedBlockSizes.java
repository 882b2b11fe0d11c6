package dev.weft.shuffle;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;

/**
 * The sizes of many blocks in little space, after Spark's HighlyCompressedMapStatus: which blocks are empty
 * (exact), the exact lengths of huge blocks (longer than {@link #HUGE_FACTOR} times the mean non-empty block),
 * and one average for every other non-empty block.
 *
 * <p>Error bounds: emptiness and huge blocks are exact. Any other non-empty block is estimated at the average of
 * those blocks, so the estimates of all of them add up to their real total (rounded up by less than one byte per
 * block), while a single one may be off by any factor within {@code [1, HUGE_FACTOR × mean]} bytes.
 *
 * <p>Space: the empty set is a bit set that ends at the last empty block (at most {@code numBlocks / 8} bytes,
 * nothing when no block is empty), plus 12 bytes per huge block; fewer than one block in {@code HUGE_FACTOR}
 * non-empty ones can be huge.
 *
 * <p>Immutable: the arrays and the set are copied in and never handed out.
 *
 * @param numBlocks      the number of reduce partitions
 * @param emptyBlocks    the empty blocks; none at or above {@code numBlocks}
 * @param averageLength  the mean length of the non-empty blocks that are not huge, rounded up; 0 when none
 * @param hugeBlocks     the huge blocks' ids, ascending
 * @param hugeLengths    their exact lengths, in the same order
 */
record AveragedBlockSizes(int numBlocks, BitSet emptyBlocks, long averageLength, int[] hugeBlocks, long[] hugeLengths)
        implements BlockSizes {
    /** A non-empty block longer than this many times the mean non-empty block is kept exactly. */
    static final int HUGE_FACTOR = 5;

    AveragedBlockSizes {
        if (numBlocks < 0) {
            throw new IllegalArgumentException("numBlocks must be >= 0: " + numBlocks);
        }
        emptyBlocks = (BitSet)
                Objects.requireNonNull(emptyBlocks, "emptyBlocks is null").clone();
        if (emptyBlocks.length() > numBlocks) {
            throw new IllegalArgumentException("empty block " + (emptyBlocks.length() - 1) + " >= " + numBlocks);
        }
        if (averageLength < 0) {
            throw new IllegalArgumentException("averageLength must be >= 0: " + averageLength);
        }
        hugeBlocks = Objects.requireNonNull(hugeBlocks, "hugeBlocks is null").clone();
        hugeLengths = Objects.requireNonNull(hugeLengths, "hugeLengths is null").clone();
        if (hugeBlocks.length != hugeLengths.length) {
            throw new IllegalArgumentException(
                    hugeBlocks.length + " huge blocks but " + hugeLengths.length + " lengths");
        }
        for (int i = 0; i < hugeBlocks.length; i++) {
            int b = hugeBlocks[i];
            if (b < 0 || b >= numBlocks || (i > 0 && b <= hugeBlocks[i - 1]) || emptyBlocks.get(b)) {
                throw new IllegalArgumentException("huge block ids must ascend within [0, " + numBlocks
                        + ") and not be empty: " + Arrays.toString(hugeBlocks));
            }
            if (hugeLengths[i] <= 0) {
                throw new IllegalArgumentException("huge block " + b + " has length " + hugeLengths[i]);
            }
        }
    }

    static AveragedBlockSizes of(long[] lengths) {
        BitSet empty = new BitSet();
        long total = 0;
        int nonEmpty = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0) {
                throw new IllegalArgumentException("length of block " + i + " must be >= 0: " + lengths[i]);
            }
            if (lengths[i] == 0) {
                empty.set(i);
            } else {
                total += lengths[i];
                nonEmpty++;
            }
        }
        // Compared as length > HUGE_FACTOR * total / nonEmpty without dividing, so no rounding decides it.
        int huge = 0;
        for (long l : lengths) {
            if (isHuge(l, total, nonEmpty)) {
                huge++;
            }
        }
        int[] hugeBlocks = new int[huge];
        long[] hugeLengths = new long[huge];
        long restTotal = 0;
        int rest = 0;
        for (int i = 0, h = 0; i < lengths.length; i++) {
            long l = lengths[i];
            if (isHuge(l, total, nonEmpty)) {
                hugeBlocks[h] = i;
                hugeLengths[h++] = l;
            } else if (l > 0) {
                restTotal += l;
                rest++;
            }
        }
        long average = rest == 0 ? 0 : (restTotal + rest - 1) / rest;
        return new AveragedBlockSizes(lengths.length, empty, average, hugeBlocks, hugeLengths);
    }

    private static boolean isHuge(long length, long total, int nonEmpty) {
        // length * nonEmpty may overflow only for blocks beyond any disk; compare in double then.
        return length > 0 && (double) length * nonEmpty > (double) HUGE_FACTOR * total;
    }

    @Override
    public boolean isEmpty(int reduceId) {
        Objects.checkIndex(reduceId, numBlocks);
        return emptyBlocks.get(reduceId);
    }

    @Override
    public long estimatedLength(int reduceId) {
        if (isEmpty(reduceId)) {
            return 0;
        }
        int h = Arrays.binarySearch(hugeBlocks, reduceId);
        return h >= 0 ? hugeLengths[h] : averageLength;
    }

    @Override
    public BitSet emptyBlocks() {
        return (BitSet) emptyBlocks.clone();
    }

    @Override
    public int[] hugeBlocks() {
        return hugeBlocks.clone();
    }

    @Override
    public long[] hugeLengths() {
        return hugeLengths.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AveragedBlockSizes other
                && numBlocks == other.numBlocks
                && averageLength == other.averageLength
                && emptyBlocks.equals(other.emptyBlocks)
                && Arrays.equals(hugeBlocks, other.hugeBlocks)
                && Arrays.equals(hugeLengths, other.hugeLengths);
    }

    @Override
    public int hashCode() {
        return Objects.hash(numBlocks, averageLength, emptyBlocks, Arrays.hashCode(hugeBlocks));
    }

    @Override
    public String toString() {
        return "AveragedBlockSizes[" + numBlocks + " blocks, " + emptyBlocks.cardinality() + " empty, average "
                + averageLength + ", " + hugeBlocks.length + " huge]";
    }
}
