package dev.weft.plan;

import dev.weft.exec.TaskContext;
import dev.weft.serde.Serializer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The splits of several parents side by side; no data moves. */
public final class UnionNode<T> extends Node<T> {
    private final List<Node<T>> parents;

    public UnionNode(int id, String callSite, Serializer<T> serializer, List<Node<T>> parents) {
        super(id, callSite, serializer);
        if (parents.isEmpty()) {
            throw new IllegalArgumentException("union of no datasets");
        }
        this.parents = List.copyOf(parents);
    }

    record UnionSplit(int index, int parent, Split parentSplit) implements Split {}

    @Override
    protected Split[] computeSplits() {
        List<Split> out = new ArrayList<>();
        for (int p = 0; p < parents.size(); p++) {
            for (Split s : parents.get(p).splits()) {
                out.add(new UnionSplit(out.size(), p, s));
            }
        }
        return out.toArray(new Split[0]);
    }

    @Override
    protected List<Dependency> lineage() {
        List<Dependency> deps = new ArrayList<>();
        for (Node<T> p : parents) {
            deps.add(new NarrowDependency(p));
        }
        return deps;
    }

    @Override
    protected Iterator<T> compute(Split split, TaskContext ctx) {
        UnionSplit u = (UnionSplit) split;
        return parents.get(u.parent()).iterator(u.parentSplit(), ctx);
    }

    @Override
    public List<Split> narrowParentSplits(Node<?> parent, Split split) {
        UnionSplit u = (UnionSplit) split;
        return parents.get(u.parent()) == parent ? List.of(u.parentSplit()) : List.of();
    }

    @Override
    public List<String> preferredHosts(Split split) {
        UnionSplit u = (UnionSplit) split;
        return parents.get(u.parent()).preferredHosts(u.parentSplit());
    }
}
