package dev.weft.id;

import java.io.Serializable;

/** One shuffle of an application, as the driver numbered it (from 0). Prints as {@code shuffle-3}. */
public record ShuffleId(int value) implements Serializable {
    public ShuffleId {
        if (value < 0) {
            throw new IllegalArgumentException("shuffle id must be >= 0: " + value);
        }
    }

    @Override
    public String toString() {
        return "shuffle-" + value;
    }
}
