package dev.weft.executor.shuffle;

import dev.weft.shuffle.MapStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A fetcher whose fetches complete only when the test says so, recording every request. A block's bytes are its map
 * id and reduce id (8 bytes), so a reader can tell which block it got. Thread-safe (one monitor, notified on each
 * new request so that a test can wait for one).
 */
final class TestingRemoteFetcher implements RemoteBlockFetcher {
    /** One started fetch. */
    record Request(MapStatus status, int reduceId, CompletableFuture<InputStream> future) {}

    private final List<Request> requests = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<InputStream> fetch(MapStatus status, int reduceId) {
        CompletableFuture<InputStream> future = new CompletableFuture<>();
        requests.add(new Request(status, reduceId, future));
        notifyAll();
        return future;
    }

    static byte[] contentOf(int mapId, int reduceId) {
        return ByteBuffer.allocate(8).putInt(mapId).putInt(reduceId).array();
    }

    /** The map id a stream of {@link #contentOf} names. */
    static int mapIdIn(InputStream in) throws IOException {
        return ByteBuffer.wrap(in.readAllBytes()).getInt();
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests started and not yet completed, in start order. */
    synchronized List<Request> outstanding() {
        return requests.stream().filter(r -> !r.future.isDone()).toList();
    }

    /** Completes {@code r} with its block's bytes (outside this monitor: completion starts further fetches). */
    static void succeed(Request r) {
        r.future.complete(new ByteArrayInputStream(contentOf(r.status.mapId(), r.reduceId)));
    }
}
