package dev.weft.plan;

import dev.weft.core.Pair;
import dev.weft.core.Partitioner;
import dev.weft.exec.TaskContext;
import dev.weft.serde.Serializer;
import dev.weft.shuffle.RecordStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Groups several pair datasets by key: one shuffle per parent, all with the same partitioner and key
 * serializer, each delivering one list of values per key in key-byte order; the task merges the sorted
 * streams by key bytes. Yields {@code (key, [values of parent 0, values of parent 1, …])}.
 */
public final class CoGroupNode extends Node<Pair<Object, List<List<Object>>>> {
    private final List<ShuffleDependency> dependencies;

    public CoGroupNode(
            int id,
            String callSite,
            Serializer<Pair<Object, List<List<Object>>>> serializer,
            List<ShuffleDependency> dependencies) {
        super(id, callSite, serializer);
        if (dependencies.size() < 2) {
            throw new IllegalArgumentException("cogroup needs at least 2 parents");
        }
        Partitioner p = dependencies.get(0).spec().partitioner();
        for (ShuffleDependency d : dependencies) {
            if (!d.spec().partitioner().equals(p)) {
                throw new IllegalArgumentException("cogroup parents must share one partitioner");
            }
        }
        this.dependencies = List.copyOf(dependencies);
    }

    @Override
    protected Split[] computeSplits() {
        Split[] s = new Split[dependencies.get(0).spec().numPartitions()];
        for (int i = 0; i < s.length; i++) {
            s[i] = new IndexSplit(i);
        }
        return s;
    }

    @Override
    protected List<Dependency> lineage() {
        return List.copyOf(dependencies);
    }

    @Override
    public Partitioner partitioner() {
        return dependencies.get(0).spec().partitioner();
    }

    @Override
    protected Iterator<Pair<Object, List<List<Object>>>> compute(Split split, TaskContext ctx) {
        int n = dependencies.size();
        Head[] heads = new Head[n];
        for (int i = 0; i < n; i++) {
            heads[i] = new Head(ShuffleInputs.open(dependencies.get(i), split.index(), ctx));
            heads[i].advance();
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                for (Head h : heads) {
                    if (h.key != null) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Pair<Object, List<List<Object>>> next() {
                Head min = null;
                for (Head h : heads) {
                    if (h.key != null && (min == null || Arrays.compareUnsigned(h.keyBytes, min.keyBytes) < 0)) {
                        min = h;
                    }
                }
                if (min == null) {
                    throw new NoSuchElementException();
                }
                byte[] minBytes = min.keyBytes;
                Object key = min.key == NULL_KEY ? null : min.key;
                List<List<Object>> groups = new ArrayList<>(n);
                for (Head h : heads) {
                    if (h.key != null && Arrays.equals(h.keyBytes, minBytes)) {
                        groups.add((List<Object>) h.value);
                        h.advance();
                    } else {
                        groups.add(new ArrayList<>());
                    }
                }
                return new Pair<>(key, groups);
            }
        };
    }

    /** The current record of one parent's stream, with its key bytes copied (the stream reuses buffers). */
    private static final class Head {
        final RecordStream stream;
        Object key;
        Object value;
        byte[] keyBytes;

        Head(RecordStream stream) {
            this.stream = stream;
        }

        void advance() {
            if (stream.advance()) {
                key = stream.key();
                value = stream.value();
                if (key == null) {
                    key = NULL_KEY;
                }
                keyBytes = Arrays.copyOfRange(
                        stream.keyBuffer(), stream.keyOffset(), stream.keyOffset() + stream.keyLength());
            } else {
                key = null;
                value = null;
                keyBytes = null;
            }
        }
    }

    private static final Object NULL_KEY = new Object();
}
