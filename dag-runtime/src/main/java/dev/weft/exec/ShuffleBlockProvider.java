package dev.weft.exec;

import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns map statuses into readable blocks for one reduce partition (local file or remote fetch). Implementations
 * are shared by all tasks of an executor and must be thread-safe.
 */
public interface ShuffleBlockProvider {
    /** One block, produced lazily: nothing is read or fetched before the source is opened. */
    ShuffleBlockSource block(MapStatus status, int reduceId);

    /**
     * Every block one reduce task attempt reads, called once per attempt and shuffle on the task's thread. A provider
     * may start producing them at once (fetching from several servers in parallel) so that they are ready by the time
     * the reader opens them. The default asks {@link #block} for each, in the order given.
     *
     * @param statuses the map outputs to read, none of them empty for {@code reduceId}, in map order
     * @param anyOrder true when the reader may consume the blocks in any order (it concatenates them): the provider
     *     may then return sources that each open whichever block arrives next, the local ones first. When false the
     *     i-th source is the block of {@code statuses.get(i)} (a merge breaks ties by source index)
     */
    default ReduceBlocks blocks(List<MapStatus> statuses, int reduceId, boolean anyOrder) {
        List<ShuffleBlockSource> sources = new ArrayList<>(statuses.size());
        for (MapStatus s : statuses) {
            sources.add(block(s, reduceId));
        }
        return ReduceBlocks.of(sources);
    }
}
