package dev.weft.executor.shuffle;

import dev.weft.shuffle.FetchFailedException;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;

/**
 * Reads map output written by another executor: the hook where the network block transport plugs in.
 * Called on task threads, possibly concurrently; implementations must be thread-safe. A block that cannot be
 * obtained must surface as {@link FetchFailedException} (from here or from the source's {@code open()}), so
 * the scheduler re-runs the lost map output instead of failing the task.
 */
public interface RemoteBlockFetcher {
    /** Used until a transport is configured: every remote block is a fetch failure. */
    RemoteBlockFetcher UNCONFIGURED = (status, reduceId) -> {
        throw new FetchFailedException(
                status.shuffleId(),
                status.mapId(),
                status.attemptId(),
                reduceId,
                status.location().toString(),
                "no block transport configured",
                null);
    };

    ShuffleBlockSource fetch(MapStatus status, int reduceId);
}
