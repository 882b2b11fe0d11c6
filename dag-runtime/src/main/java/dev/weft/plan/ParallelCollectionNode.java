package dev.weft.plan;

import dev.weft.exec.TaskContext;
import dev.weft.serde.RecordInput;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.Serializer;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** A driver-side collection cut into slices; each slice travels serialized inside its own split. */
public final class ParallelCollectionNode<T> extends Node<T> {
    private final transient List<T> data;
    private final transient int numSlices;

    public ParallelCollectionNode(int id, String callSite, Serializer<T> serializer, List<T> data, int numSlices) {
        super(id, callSite, serializer);
        if (numSlices <= 0) {
            throw new IllegalArgumentException("numSlices must be > 0: " + numSlices);
        }
        this.data = List.copyOf(data);
        this.numSlices = numSlices;
    }

    /** A slice of the collection as the serializer's bytes. */
    record SliceSplit(int index, byte[] bytes, int count) implements Split {}

    @Override
    protected Split[] computeSplits() {
        Split[] splits = new Split[numSlices];
        int n = data.size();
        for (int i = 0; i < numSlices; i++) {
            int from = (int) ((long) i * n / numSlices);
            int to = (int) ((long) (i + 1) * n / numSlices);
            RecordOutput out = new RecordOutput(64 * (to - from) + 16);
            for (int j = from; j < to; j++) {
                serializer().write(data.get(j), out);
            }
            splits[i] = new SliceSplit(i, out.toByteArray(), to - from);
        }
        return splits;
    }

    @Override
    protected List<Dependency> lineage() {
        return List.of();
    }

    @Override
    protected Iterator<T> compute(Split split, TaskContext ctx) {
        SliceSplit s = (SliceSplit) split;
        RecordInput in = new RecordInput(s.bytes());
        Serializer<T> ser = serializer();
        return new Iterator<>() {
            int left = s.count();

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public T next() {
                if (left == 0) {
                    throw new NoSuchElementException();
                }
                left--;
                return ser.read(in);
            }
        };
    }
}
