package dev.weft.plan;

import dev.weft.api.function.IndexedPartitionFunction;
import dev.weft.core.Partitioner;
import dev.weft.exec.TaskContext;
import dev.weft.serde.Serializer;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/** Applies a per-partition function to its parent's split (map, filter, flatMap, mapPartitions, sample). */
public final class MapPartitionsNode<A, B> extends Node<B> {
    private final Node<A> parent;
    private final IndexedPartitionFunction<A, B> fn;
    private final boolean preservesPartitioning;

    public MapPartitionsNode(
            int id,
            String callSite,
            Serializer<B> serializer,
            Node<A> parent,
            IndexedPartitionFunction<A, B> fn,
            boolean preservesPartitioning) {
        super(id, callSite, serializer);
        this.parent = Objects.requireNonNull(parent, "parent is null");
        this.fn = Objects.requireNonNull(fn, "fn is null");
        this.preservesPartitioning = preservesPartitioning;
    }

    @Override
    protected Split[] computeSplits() {
        return parent.splits();
    }

    @Override
    protected List<Dependency> lineage() {
        return List.of(new NarrowDependency(parent));
    }

    @Override
    protected Iterator<B> compute(Split split, TaskContext ctx) throws Exception {
        return fn.apply(split.index(), parent.iterator(split, ctx));
    }

    @Override
    public Partitioner partitioner() {
        return preservesPartitioning ? parent.partitioner() : null;
    }

    @Override
    public List<Split> narrowParentSplits(Node<?> parent, Split split) {
        return parent == this.parent ? List.of(split) : List.of();
    }

    @Override
    public List<String> preferredHosts(Split split) {
        return parent.preferredHosts(split);
    }
}
