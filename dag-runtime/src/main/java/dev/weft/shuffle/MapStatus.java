package dev.weft.shuffle;

import java.io.Serializable;
import java.util.Objects;
import org.roaringbitmap.RoaringBitmap;

/**
 * The result of one shuffle-map task: where its output is and how large each reduce partition's block
 * is. Empty partitions are also kept as a bitmap so reducers skip them without asking.
 *
 * @param attemptId the task attempt whose files hold the output (files are per attempt, so a retried
 *                  attempt never mixes with an earlier one)
 */
public record MapStatus(
        int shuffleId,
        int mapId,
        long attemptId,
        BlockLocation location,
        long[] partitionLengths,
        RoaringBitmap emptyPartitions)
        implements Serializable {
    public MapStatus {
        Objects.requireNonNull(location, "location is null");
        Objects.requireNonNull(partitionLengths, "partitionLengths is null");
        Objects.requireNonNull(emptyPartitions, "emptyPartitions is null");
        if (mapId < 0) {
            throw new IllegalArgumentException("mapId must be >= 0: " + mapId);
        }
    }

    public static MapStatus of(int shuffleId, int mapId, long attemptId, BlockLocation location, long[] lengths) {
        RoaringBitmap empty = new RoaringBitmap();
        for (int p = 0; p < lengths.length; p++) {
            if (lengths[p] == 0) {
                empty.add(p);
            }
        }
        empty.runOptimize();
        return new MapStatus(shuffleId, mapId, attemptId, location, lengths.clone(), empty);
    }

    public boolean isEmpty(int reduceId) {
        return emptyPartitions.contains(reduceId);
    }

    public long totalBytes() {
        long t = 0;
        for (long l : partitionLengths) {
            t += l;
        }
        return t;
    }
}
