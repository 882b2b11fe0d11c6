package dev.weft.shuffle;

/**
 * A sorted {@link RecordBuffer} seen as a {@link SortedRun}: records are read in place from the pages.
 * Does not own the buffer (closing it does nothing). Not thread-safe.
 */
final class BufferRun implements SortedRun {
    private final RecordBuffer buffer;
    private final int[] starts;

    /** @param starts partition start indices from {@link EntrySorter#sort} */
    BufferRun(RecordBuffer buffer, int[] starts) {
        this.buffer = buffer;
        this.starts = starts;
    }

    @Override
    public boolean isEmpty(int partition) {
        return starts[partition] == starts[partition + 1];
    }

    @Override
    public RecordSource partition(int partition) {
        return new Source(starts[partition], starts[partition + 1]);
    }

    @Override
    public void close() {}

    private final class Source extends RecordSource {
        private int next;
        private final int end;
        private byte[] page;
        private int keyOff;
        private int keyLen;
        private int valueOff;
        private int valueLen;

        Source(int from, int to) {
            this.next = from;
            this.end = to;
        }

        @Override
        protected boolean advance() {
            if (next >= end) {
                return false;
            }
            long meta = buffer.entries()[2 * next++];
            page = buffer.pageOf(meta);
            int off = RecordBuffer.offsetOf(meta);
            keyLen = Varints.read(page, off);
            keyOff = off + Varints.size(keyLen);
            int vOff = keyOff + keyLen;
            valueLen = Varints.read(page, vOff);
            valueOff = vOff + Varints.size(valueLen);
            return true;
        }

        @Override
        byte[] keyBuf() {
            return page;
        }

        @Override
        int keyOff() {
            return keyOff;
        }

        @Override
        int keyLen() {
            return keyLen;
        }

        @Override
        byte[] valueBuf() {
            return page;
        }

        @Override
        int valueOff() {
            return valueOff;
        }

        @Override
        int valueLen() {
            return valueLen;
        }
    }
}
