package dev.weft.shuffle.format;

import static java.util.Objects.requireNonNull;

/**
 * The content of one map output's index: where each reduce partition's segment starts in the data file and the
 * CRC32C of its bytes. {@link MapOutputIndexFormat} reads and writes it.
 *
 * <p>Immutable (the arrays are copied in and never handed out); thread-safe.
 */
public final class PartitionIndex {
    private final long[] offsets;
    private final int[] checksums;

    /**
     * @param offsets numPartitions + 1 offsets, starting at 0, never decreasing; the last is the data file's length
     * @param checksums one CRC32C per partition
     * @throws IllegalArgumentException when the offsets are inconsistent
     */
    public PartitionIndex(long[] offsets, int[] checksums) {
        requireNonNull(offsets, "offsets is null");
        requireNonNull(checksums, "checksums is null");
        if (offsets.length != checksums.length + 1) {
            throw new IllegalArgumentException(offsets.length + " offsets for " + checksums.length + " partitions");
        }
        if (offsets[0] != 0) {
            throw new IllegalArgumentException("first offset must be 0: " + offsets[0]);
        }
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] < offsets[i - 1]) {
                throw new IllegalArgumentException(
                        "offsets decrease at partition " + (i - 1) + ": " + offsets[i - 1] + " > " + offsets[i]);
            }
        }
        this.offsets = offsets.clone();
        this.checksums = checksums.clone();
    }

    /** The index of a data file whose partition segments have these lengths and checksums, in partition order. */
    public static PartitionIndex fromLengths(long[] lengths, int[] checksums) {
        long[] offsets = new long[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) {
            offsets[i + 1] = offsets[i] + lengths[i];
        }
        return new PartitionIndex(offsets, checksums);
    }

    public int numPartitions() {
        return checksums.length;
    }

    /** @throws IndexOutOfBoundsException for a partition outside [0, numPartitions) */
    public long offset(int partition) {
        return offsets[checkPartition(partition)];
    }

    /** @throws IndexOutOfBoundsException for a partition outside [0, numPartitions) */
    public long length(int partition) {
        return offsets[checkPartition(partition) + 1] - offsets[partition];
    }

    /** @throws IndexOutOfBoundsException for a partition outside [0, numPartitions) */
    public int checksum(int partition) {
        return checksums[checkPartition(partition)];
    }

    /** Whether {@code partition} is in [0, numPartitions). */
    public boolean contains(int partition) {
        return partition >= 0 && partition < checksums.length;
    }

    /** Length of the data file this index describes. */
    public long dataLength() {
        return offsets[offsets.length - 1];
    }

    long[] offsetsView() {
        return offsets;
    }

    int[] checksumsView() {
        return checksums;
    }

    private int checkPartition(int p) {
        if (!contains(p)) {
            throw new IndexOutOfBoundsException("partition " + p + " outside [0, " + checksums.length + ")");
        }
        return p;
    }
}
