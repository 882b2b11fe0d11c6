package dev.weft.transport.client;

import dev.weft.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** One fetch request of a client connection: its ids, progress and future. Confined to the connection's event loop. */
final class PendingFetch {
    final long requestId;
    final int shuffleId;
    final int mapId;
    final long attemptId;
    final int[] reduceIds;
    final CompletableFuture<List<FetchedBlock>> future;
    final List<FetchedBlock> blocks;
    int busyRetries;
    /** Blocks whose header arrived (received or being drained after a failure). */
    int headersSeen;

    ScheduledFuture<?> timeout;

    PendingFetch(
            long requestId,
            int shuffleId,
            int mapId,
            long attemptId,
            int[] reduceIds,
            CompletableFuture<List<FetchedBlock>> future) {
        this.requestId = requestId;
        this.shuffleId = shuffleId;
        this.mapId = mapId;
        this.attemptId = attemptId;
        this.reduceIds = reduceIds;
        this.future = future;
        this.blocks = new ArrayList<>(reduceIds.length);
    }

    boolean allHeadersSeen() {
        return headersSeen == reduceIds.length;
    }

    void fail(TransportException e) {
        cancelTimeout();
        // Blocks already on disk would otherwise stay there; deleted before the future completes, so whoever waits on
        // it never sees them.
        discardBlocks();
        future.completeExceptionally(e);
    }

    void succeed() {
        cancelTimeout();
        if (!future.complete(List.copyOf(blocks))) {
            discardBlocks(); // the caller gave up on the fetch (cancelled): nobody will read them
        }
    }

    private void discardBlocks() {
        blocks.forEach(FetchedBlock::discard);
        blocks.clear();
    }

    void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
