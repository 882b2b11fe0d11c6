package dev.weft.plan;

/** A split that is nothing but its index (shuffle outputs, checkpoints). */
public record IndexSplit(int index) implements Split {
    public IndexSplit {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0: " + index);
        }
    }
}
