package dev.weft.plan;

import dev.weft.core.Pair;
import dev.weft.core.Partitioner;
import dev.weft.exec.TaskContext;
import dev.weft.serde.Serializer;
import dev.weft.shuffle.RecordStream;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The reduce side of one shuffle: split {@code i} yields the records (or per-key combined values) of
 * reduce partition {@code i}, merged from every map output.
 */
public final class ShuffledNode<K, V> extends Node<Pair<K, V>> {
    private final ShuffleDependency dependency;

    public ShuffledNode(int id, String callSite, Serializer<Pair<K, V>> serializer, ShuffleDependency dependency) {
        super(id, callSite, serializer);
        this.dependency = Objects.requireNonNull(dependency, "dependency is null");
    }

    public ShuffleDependency shuffleDependency() {
        return dependency;
    }

    @Override
    protected Split[] computeSplits() {
        Split[] s = new Split[dependency.spec().numPartitions()];
        for (int i = 0; i < s.length; i++) {
            s[i] = new IndexSplit(i);
        }
        return s;
    }

    @Override
    protected List<Dependency> lineage() {
        return List.of(dependency);
    }

    @Override
    public Partitioner partitioner() {
        return dependency.spec().partitioner();
    }

    @Override
    protected Iterator<Pair<K, V>> compute(Split split, TaskContext ctx) {
        RecordStream stream = ShuffleInputs.open(dependency, split.index(), ctx);
        return new Iterator<>() {
            boolean ready;
            boolean more;

            @Override
            public boolean hasNext() {
                if (!ready) {
                    more = stream.advance();
                    ready = true;
                }
                return more;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Pair<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                return new Pair<>((K) stream.key(), (V) stream.value());
            }
        };
    }
}
