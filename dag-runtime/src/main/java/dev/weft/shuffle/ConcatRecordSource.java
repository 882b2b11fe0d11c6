package dev.weft.shuffle;

import java.io.IOException;
import java.util.List;

/**
 * The records of several sources one source after another (ordering NONE). Closes each source when it is
 * exhausted and all of them when closed. Not thread-safe.
 */
final class ConcatRecordSource extends RecordSource {
    private final List<? extends RecordSource> sources;
    private int index;
    private RecordSource current;

    ConcatRecordSource(List<? extends RecordSource> sources) {
        this.sources = sources;
    }

    @Override
    protected boolean advance() throws IOException {
        while (index < sources.size()) {
            current = sources.get(index);
            if (current.next()) {
                return true;
            }
            current.close();
            index++;
        }
        return false;
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
        for (int i = index; i < sources.size(); i++) {
            try {
                sources.get(i).close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
