package dev.weft.shuffle;

import java.io.IOException;
import java.util.List;

/**
 * K-way merge of sorted {@link RecordSource}s in {@link KeyOrder}, through a binary min-heap of source
 * indices. Equal keys from different sources come out in source order (ties broken by index), which
 * keeps the merge deterministic. Closes its sources when closed.
 *
 * <p>Not thread-safe.
 */
final class MergingRecordSource extends RecordSource {
    private final RecordSource[] sources;
    private final KeyOrder order;
    private final int[] heap;
    private int size;
    private RecordSource current;
    /** The source whose record was handed out last; advanced lazily so its bytes stay valid meanwhile. */
    private int pending = -1;

    private boolean started;

    MergingRecordSource(List<? extends RecordSource> sources, KeyOrder order) {
        this.sources = sources.toArray(new RecordSource[0]);
        this.order = order;
        this.heap = new int[this.sources.length];
    }

    @Override
    protected boolean advance() throws IOException {
        if (!started) {
            started = true;
            for (int i = 0; i < sources.length; i++) {
                if (sources[i].next()) {
                    heap[size++] = i;
                    siftUp(size - 1);
                }
            }
        } else if (pending >= 0) {
            if (sources[pending].next()) {
                siftDown(0);
            } else {
                heap[0] = heap[--size];
                if (size > 0) {
                    siftDown(0);
                }
            }
        }
        if (size == 0) {
            current = null;
            pending = -1;
            return false;
        }
        pending = heap[0];
        current = sources[pending];
        return true;
    }

    private boolean less(int i, int j) {
        int c = order.compare(sources[i], sources[j]);
        return c < 0 || (c == 0 && i < j);
    }

    private void siftUp(int k) {
        int x = heap[k];
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!less(x, heap[parent])) {
                break;
            }
            heap[k] = heap[parent];
            k = parent;
        }
        heap[k] = x;
    }

    private void siftDown(int k) {
        int x = heap[k];
        int half = size >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], x)) {
                break;
            }
            heap[k] = heap[child];
            k = child;
        }
        heap[k] = x;
    }

    @Override
    byte[] keyBuf() {
        return current.keyBuf();
    }

    @Override
    int keyOff() {
        return current.keyOff();
    }

    @Override
    int keyLen() {
        return current.keyLen();
    }

    @Override
    byte[] valueBuf() {
        return current.valueBuf();
    }

    @Override
    int valueOff() {
        return current.valueOff();
    }

    @Override
    int valueLen() {
        return current.valueLen();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (RecordSource s : sources) {
            try {
                s.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
