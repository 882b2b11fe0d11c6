package dev.weft.executor.driver;

import dev.weft.shuffle.MapStatus;

/**
 * What executors ask the driver for while tasks run. Called by {@link DriverEndpoint} on its own request
 * threads (never on a Netty event loop), possibly concurrently; implementations must be thread-safe and
 * should answer from memory (the map output tracker's snapshot, the broadcast store).
 */
public interface DriverServices {
    /**
     * One status per map partition of {@code shuffleId}; an entry is null when that output is not available.
     * Null when the shuffle is unknown (the executor's task then fails with "unknown shuffle").
     */
    MapStatus[] mapStatuses(int shuffleId);

    /** The serialized value as {@code BroadcastStore#get} keeps it, or null when unknown or destroyed. */
    byte[] broadcast(long id);

    /**
     * Whether attempt {@code taskId} of {@code partition} of {@code stageId} may commit its output, asked by the
     * registered executor {@code executorId} (the connection's, never an id the executor names).
     *
     * @return null when granted, else why not
     */
    String canCommit(String executorId, int stageId, int partition, long taskId);
}
