package dev.weft.id;

import java.io.Serializable;
import java.util.Objects;

/**
 * The output of one map partition of a shuffle, whichever attempt wrote it. Prints as {@code shuffle-3/map-5}.
 *
 * @param mapId the map partition, from 0
 */
public record MapOutputId(ShuffleId shuffle, int mapId) implements Serializable {
    public MapOutputId {
        Objects.requireNonNull(shuffle, "shuffle is null");
        if (mapId < 0) {
            throw new IllegalArgumentException("map id must be >= 0: " + mapId);
        }
    }

    /** From the plain numbers that wire formats and file names carry. */
    public static MapOutputId of(int shuffleId, int mapId) {
        return new MapOutputId(new ShuffleId(shuffleId), mapId);
    }

    @Override
    public String toString() {
        return shuffle + "/map-" + mapId;
    }
}
