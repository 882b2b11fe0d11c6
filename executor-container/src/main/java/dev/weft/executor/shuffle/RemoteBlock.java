package dev.weft.executor.shuffle;

import dev.weft.shuffle.MapStatus;
import java.util.Objects;

/**
 * One remote block a reduce task fetches: the map output it belongs to, the reduce partition, the server that
 * holds it, and the estimated size that flow control counts.
 *
 * @param estimatedBytes from the map status, at least 1; it steers flow control only and may differ from the real
 *     size (compact map statuses keep only estimates), never deciding what is read
 */
record RemoteBlock(MapStatus status, int reduceId, Server server, long estimatedBytes) {
    /** A shuffle server, as the map status names it. */
    record Server(String host, int port) {
        Server {
            Objects.requireNonNull(host, "host is null");
        }
    }

    RemoteBlock {
        Objects.requireNonNull(status, "status is null");
        Objects.requireNonNull(server, "server is null");
        if (reduceId < 0) {
            throw new IllegalArgumentException("reduceId must be >= 0: " + reduceId);
        }
        if (estimatedBytes < 1) {
            throw new IllegalArgumentException("estimatedBytes must be >= 1: " + estimatedBytes);
        }
    }

    static RemoteBlock of(MapStatus status, int reduceId) {
        return new RemoteBlock(
                status,
                reduceId,
                new Server(status.location().host(), status.location().port()),
                Math.max(1, estimatedBytes(status, reduceId)));
    }

    /** The only place that reads a block size from a map status (so a change of that format touches one line). */
    private static long estimatedBytes(MapStatus status, int reduceId) {
        return reduceId < status.numPartitions() ? status.estimatedLength(reduceId) : 1;
    }
}
