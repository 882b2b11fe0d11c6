package dev.weft.exec;

import dev.weft.id.ShuffleId;
import dev.weft.shuffle.MapStatus;

/**
 * How a reduce task learns where the map outputs of a shuffle are. Local backend: a direct view of the
 * driver's tracker; remote executors: a cached RPC to the driver. Thread-safe.
 */
public interface MapOutputLookup {
    /** One status per map partition; an entry is null when that map output is not available. */
    MapStatus[] statuses(ShuffleId shuffleId);
}
