package dev.weft.executor.shuffle;

import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One remote block fetched only when opened, and waited for: the path of a single {@code block()} request (the
 * reduce task's own reads go through {@link BlockFetchScheduler}). The transport's own timeouts bound the wait.
 * Opened on the task's thread.
 */
final class LazyRemoteBlockSource implements ShuffleBlockSource {
    private final RemoteBlockFetcher fetcher;
    private final MapStatus status;
    private final int reduceId;

    LazyRemoteBlockSource(RemoteBlockFetcher fetcher, MapStatus status, int reduceId) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher is null");
        this.status = Objects.requireNonNull(status, "status is null");
        this.reduceId = reduceId;
    }

    @Override
    public int mapId() {
        return status.mapId();
    }

    @Override
    public long mapAttemptId() {
        return status.attemptId();
    }

    @Override
    public String location() {
        return status.location().toString();
    }

    /** Fetched from a shuffle service over the network, whichever host it is on. */
    @Override
    public boolean remote() {
        return true;
    }

    @Override
    public InputStream open() throws IOException {
        CompletableFuture<InputStream> fetch = fetcher.fetch(status, reduceId);
        try {
            return fetch.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("fetch from " + location() + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            fetch.cancel(false);
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while fetching from " + location());
            io.initCause(e);
            throw io;
        }
    }
}
