package dev.weft.storage;

/**
 * What the {@link BlockManager} needs of the task attempt that reads or caches a block: a place to report the
 * blocks it cached and to hand over resources that must be closed when the task ends. {@code TaskContext}
 * implements it; the block manager sees only this so that storage stays below the task runtime.
 *
 * <p>Threading: called on the task's thread.
 */
public interface BlockTaskScope {
    /** This attempt stored {@code id} in the cache; it is reported to the driver with the task's success. */
    void cachedBlock(BlockManager.BlockId id);

    /** Closes {@code resource} when the task ends, successfully or not. */
    void onCompletion(AutoCloseable resource);
}
