package dev.weft.core;

import java.io.Serializable;

/**
 * Maps a key to one of {@link #numPartitions()} partitions. Implementations must be deterministic across
 * JVMs (they run on the map side of every executor) and should implement {@code equals} so that the
 * engine can tell two datasets are already co-partitioned.
 */
public interface Partitioner extends Serializable {
    int numPartitions();

    /** Returns a partition in {@code [0, numPartitions())} for {@code key}. */
    int partition(Object key);
}
