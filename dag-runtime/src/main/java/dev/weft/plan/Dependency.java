package dev.weft.plan;

import java.io.Serializable;

/** An edge of the lineage graph. Narrow edges stay inside a stage; shuffle edges cut stages. */
public sealed interface Dependency extends Serializable permits NarrowDependency, ShuffleDependency {
    Node<?> parent();
}
