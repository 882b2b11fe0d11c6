package dev.weft.shuffle;

/**
 * A sorted {@link RecordBuffer} seen as a {@link SortedRun}: records are read in place from the pages.
 * Does not own the buffer (closing it does nothing). Not thread-safe.
 */
final class BufferRun implements SortedRun {
    private final RecordBuffer buffer;
    private final int[] starts;
    private final long[] lengths;

    /** @param starts partition start indices from {@link EntrySorter#sort} */
    BufferRun(RecordBuffer buffer, int[] starts) {
        this.buffer = buffer;
        this.starts = starts;
        this.lengths = new long[starts.length - 1];
        long[] e = buffer.entries();
        for (int p = 0; p < lengths.length; p++) {
            long sum = 0;
            for (int i = starts[p]; i < starts[p + 1]; i++) {
                byte[] page = buffer.pageOf(e[2 * i]);
                int off = RecordBuffer.offsetOf(e[2 * i]);
                int kl = Varints.read(page, off);
                int vOff = off + Varints.size(kl) + kl;
                int vl = Varints.read(page, vOff);
                sum += Varints.size(kl) + kl + Varints.size(vl) + vl;
            }
            lengths[p] = sum;
        }
    }

    @Override
    public long partitionLength(int partition) {
        return lengths[partition];
    }

    @Override
    public RecordSource partition(int partition) {
        return new Source(starts[partition], starts[partition + 1]);
    }

    @Override
    public void close() {
    }

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
