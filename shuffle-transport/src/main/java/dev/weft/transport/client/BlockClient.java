package dev.weft.transport.client;

import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportException;
import io.netty.channel.Channel;
import java.io.Closeable;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An authenticated connection to one block server for one app, made by {@link TransportClientFactory}.
 *
 * <p>Thread-safe: {@link #fetch} may be called from any thread, concurrently; requests are pipelined on the one
 * connection. Futures complete on the connection's event loop, so callers must not block in their callbacks (use
 * the {@code *Async} variants to move work elsewhere). Fetched blocks are plain heap copies; nothing to release.
 * A BUSY answer is retried up to {@code maxBusyRetries} times after the server's retry-after hint (times the retry
 * number). After a connection-level failure every pending and later fetch fails; make a new client.
 */
public final class BlockClient implements Closeable {
    private final Channel channel;
    private final ClientHandler handler;
    private final String appId;
    private final AtomicLong nextRequestId = new AtomicLong(1);

    BlockClient(Channel channel, ClientHandler handler, String appId) {
        this.channel = channel;
        this.handler = handler;
        this.appId = appId;
    }

    /**
     * Fetches several partitions of one map output in one request.
     *
     * @return the blocks in {@code reduceIds} order, each CRC32C-verified; or fails with a {@link TransportException}
     *     whose code says why ({@link dev.weft.transport.BlockCorruptionException} for a checksum mismatch)
     */
    public CompletableFuture<List<FetchedBlock>> fetch(int shuffleId, int mapId, long attemptId, int... reduceIds) {
        CompletableFuture<List<FetchedBlock>> future = new CompletableFuture<>();
        if (reduceIds.length == 0) {
            future.completeExceptionally(new IllegalArgumentException("no reduce ids"));
            return future;
        }
        PendingFetch fetch = new PendingFetch(
                nextRequestId.getAndIncrement(), shuffleId, mapId, attemptId, reduceIds.clone(), future);
        try {
            channel.eventLoop().execute(() -> handler.send(fetch));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new TransportException(ErrorCode.CONNECTION_LOST, "client closed", e));
        }
        return future;
    }

    public String appId() {
        return appId;
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** Whether the connection is open; a closed client never reopens. */
    public boolean isActive() {
        return channel.isActive();
    }

    /** Closes the connection; pending fetches fail with {@link ErrorCode#CONNECTION_LOST}. Does not block. */
    @Override
    public void close() {
        channel.close();
    }
}
