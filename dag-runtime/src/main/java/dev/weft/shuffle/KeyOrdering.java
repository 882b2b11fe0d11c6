package dev.weft.shuffle;

/** How the consumer of a shuffle needs the records of each reduce partition ordered. */
public enum KeyOrdering {
    /** Any order (partitionBy, repartition): map output is sorted by partition only. */
    NONE,
    /** Equal keys adjacent (reduce, group, cogroup): sorted by key bytes, any total order of keys. */
    GROUPED,
    /** Keys in their natural (or the given comparator's) order: sortByKey. */
    SORTED
}
