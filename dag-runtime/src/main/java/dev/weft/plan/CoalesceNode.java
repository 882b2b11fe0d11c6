package dev.weft.plan;

import dev.weft.exec.TaskContext;
import dev.weft.serde.Serializer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Fewer partitions without a shuffle: each split reads a contiguous run of parent splits. */
public final class CoalesceNode<T> extends Node<T> {
    private final Node<T> parent;
    private final int target;

    public CoalesceNode(int id, String callSite, Serializer<T> serializer, Node<T> parent, int target) {
        super(id, callSite, serializer);
        if (target <= 0) {
            throw new IllegalArgumentException("numPartitions must be > 0: " + target);
        }
        this.parent = parent;
        this.target = target;
    }

    record CoalesceSplit(int index, Split[] parents) implements Split {}

    @Override
    protected Split[] computeSplits() {
        Split[] ps = parent.splits();
        int n = Math.min(target, Math.max(1, ps.length));
        Split[] out = new Split[n];
        for (int i = 0; i < n; i++) {
            int from = (int) ((long) i * ps.length / n);
            int to = (int) ((long) (i + 1) * ps.length / n);
            out[i] = new CoalesceSplit(i, Arrays.copyOfRange(ps, from, to));
        }
        return out;
    }

    @Override
    protected List<Dependency> lineage() {
        return List.of(new NarrowDependency(parent));
    }

    @Override
    public List<Split> narrowParentSplits(Node<?> parent, Split split) {
        return parent == this.parent ? List.of(((CoalesceSplit) split).parents()) : List.of();
    }

    @Override
    protected Iterator<T> compute(Split split, TaskContext ctx) {
        Split[] ps = ((CoalesceSplit) split).parents();
        return new Iterator<>() {
            int next = 0;
            Iterator<T> cur = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!cur.hasNext() && next < ps.length) {
                    cur = parent.iterator(ps[next++], ctx);
                }
                return cur.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return cur.next();
            }
        };
    }
}
