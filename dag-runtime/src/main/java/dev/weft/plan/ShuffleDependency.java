package dev.weft.plan;

import dev.weft.core.Pair;
import dev.weft.shuffle.ShuffleSpec;
import java.util.Objects;

/**
 * A child split needs records from every parent split: the parent's records are written by shuffle-map
 * tasks and read back per reduce partition. The DAG scheduler cuts a stage here and keeps the map outputs
 * so later jobs reuse them.
 */
public record ShuffleDependency(Node<? extends Pair<?, ?>> parent, ShuffleSpec spec) implements Dependency {
    public ShuffleDependency {
        Objects.requireNonNull(parent, "parent is null");
        Objects.requireNonNull(spec, "spec is null");
    }

    public int shuffleId() {
        return spec.shuffleId();
    }
}
