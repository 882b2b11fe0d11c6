package dev.weft.shuffle;

import java.io.Closeable;
import java.io.IOException;

/**
 * Records sorted by (partition, key) — in memory or spilled — read back one partition after another.
 * {@link #partition(int)} must be called with increasing partition ids, and each returned source drained
 * before the next call (a spilled run reads all partitions through one sequential stream). Not thread-safe.
 */
interface SortedRun extends Closeable {
    RecordSource partition(int partition) throws IOException;

    /** Whether {@code partition} has no records (then the merge does not open it). */
    boolean isEmpty(int partition);
}
