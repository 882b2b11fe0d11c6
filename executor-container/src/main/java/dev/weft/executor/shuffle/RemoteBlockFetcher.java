package dev.weft.executor.shuffle;

import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleCorruptionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Reads map output written by another executor: the hook where the network block transport plugs in.
 *
 * <p>{@link #fetch} starts one block's fetch and returns at once. It is called on task threads and on the transport's
 * threads (when one fetch's end lets the next one start), possibly concurrently, so implementations must be
 * thread-safe and must never block. The future completes with the block's verified bytes, which the caller owns, or
 * fails with an {@link IOException}: a {@link java.net.ConnectException} when the server cannot be reached (the
 * scheduler then forgets every output that server held), a {@link ShuffleCorruptionException} when the bytes fail
 * their checksum. Cancelling the future abandons the fetch; whatever it held is released by the implementation.
 */
public interface RemoteBlockFetcher {
    /** Used until a transport is configured: every remote block fails to fetch. */
    RemoteBlockFetcher UNCONFIGURED =
            (status, reduceId) -> CompletableFuture.failedFuture(new IOException("no block transport configured"));

    CompletableFuture<InputStream> fetch(MapStatus status, int reduceId);
}
