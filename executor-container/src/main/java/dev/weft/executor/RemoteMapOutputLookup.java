package dev.weft.executor;

import dev.weft.exec.MapOutputLookup;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.rpc.DriverClient;
import dev.weft.executor.rpc.DriverRequestException;
import dev.weft.id.ShuffleId;
import dev.weft.shuffle.MapStatus;
import java.util.concurrent.ExecutionException;

/**
 * Asks the driver for a shuffle's map statuses on every call. No cache on purpose: a reduce task asks once
 * when it starts, and a stale cache after a fetch failure would send retried tasks to the lost output again.
 *
 * <p>Thread-safe; blocks the calling task thread up to the ask timeout. Never call it on an event loop.
 */
final class RemoteMapOutputLookup implements MapOutputLookup {
    private final DriverClient driver;

    RemoteMapOutputLookup(DriverClient driver) {
        this.driver = driver;
    }

    @Override
    public MapStatus[] statuses(ShuffleId shuffle) {
        int shuffleId = shuffle.value(); // the wire carries the number
        try {
            return driver.mapStatuses(shuffleId).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DriverRequestException d && d.code() == ErrorCode.UNKNOWN_SHUFFLE) {
                // Same message and type as the local tracker, so both backends fail alike.
                throw new IllegalStateException("unknown shuffle " + shuffleId, d);
            }
            throw new IllegalStateException(
                    "cannot get the map statuses of shuffle " + shuffleId + " from the driver: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the driver for shuffle " + shuffleId, e);
        }
    }
}
