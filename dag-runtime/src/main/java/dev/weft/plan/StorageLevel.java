package dev.weft.plan;

/** Where a persisted dataset keeps its computed partitions (always as serialized bytes). */
public enum StorageLevel {
    NONE,
    /** In the executor's memory budget; a partition that does not fit is recomputed when needed again. */
    MEMORY_ONLY,
    /** In memory while the budget allows, otherwise in a file in the executor's local directory. */
    MEMORY_AND_DISK
}
