package dev.weft.shuffle;

import java.io.Serializable;
import java.util.Objects;

/**
 * The result of one shuffle-map task as the driver keeps it and readers see it: where its output is and how
 * large each reduce partition's block is. Which blocks are empty is exact, so reducers skip them without
 * asking; other lengths are estimates for planning fetches (see {@link BlockSizes} for the encodings and their
 * error bounds). The bytes to read always come from the map output's index file.
 *
 * <p>Immutable; travels Java-serialized from executor to driver and from driver to readers.
 *
 * @param attemptId the task attempt whose files hold the output (files are per attempt, so a retried
 *                  attempt never mixes with an earlier one)
 * @param sizes     the blocks' sizes, one per reduce partition
 */
public record MapStatus(int shuffleId, int mapId, long attemptId, BlockLocation location, BlockSizes sizes)
        implements Serializable {
    public MapStatus {
        Objects.requireNonNull(location, "location is null");
        Objects.requireNonNull(sizes, "sizes is null");
        if (mapId < 0) {
            throw new IllegalArgumentException("mapId must be >= 0: " + mapId);
        }
    }

    /** A status for blocks of the given {@code lengths} (one per reduce partition); does not keep the array. */
    public static MapStatus of(int shuffleId, int mapId, long attemptId, BlockLocation location, long[] lengths) {
        return new MapStatus(shuffleId, mapId, attemptId, location, BlockSizes.of(lengths));
    }

    /** The same output, served from {@code servedFrom} (for example the node's shuffle service). */
    public MapStatus withLocation(BlockLocation servedFrom) {
        return new MapStatus(shuffleId, mapId, attemptId, servedFrom, sizes);
    }

    public int numPartitions() {
        return sizes.numBlocks();
    }

    /** Whether the block for {@code reduceId} is empty; exact. */
    public boolean isEmpty(int reduceId) {
        return sizes.isEmpty(reduceId);
    }

    /** An estimate of the block's length for planning fetches (0 exactly when empty); see {@link BlockSizes}. */
    public long estimatedLength(int reduceId) {
        return sizes.estimatedLength(reduceId);
    }
}
