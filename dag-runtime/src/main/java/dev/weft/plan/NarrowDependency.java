package dev.weft.plan;

import java.util.Objects;

/** Each child split reads a bounded set of parent splits in the same task (map, union, coalesce). */
public record NarrowDependency(Node<?> parent) implements Dependency {
    public NarrowDependency {
        Objects.requireNonNull(parent, "parent is null");
    }
}
