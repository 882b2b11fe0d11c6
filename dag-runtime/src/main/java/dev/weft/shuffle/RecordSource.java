package dev.weft.shuffle;

import dev.weft.serde.RecordInput;
import dev.weft.serde.Serializer;
import java.io.Closeable;
import java.io.IOException;

/**
 * A forward-only sequence of serialized shuffle records (a sorted run, a fetched block, a merge of
 * those). After {@link #next()} returns true the current record's key and value bytes are exposed as
 * slices that stay valid until the next call to {@code next()}.
 *
 * <p>Not thread-safe; used by one task thread.
 */
abstract class RecordSource implements Closeable {
    private Object keyObject;
    private boolean keyDecoded;
    private final RecordInput input = new RecordInput();

    /** Moves to the next record; false at the end. */
    final boolean next() throws IOException {
        keyDecoded = false;
        keyObject = null;
        return advance();
    }

    protected abstract boolean advance() throws IOException;

    abstract byte[] keyBuf();

    abstract int keyOff();

    abstract int keyLen();

    abstract byte[] valueBuf();

    abstract int valueOff();

    abstract int valueLen();

    /** The current key deserialized, decoded at most once per record (comparisons ask repeatedly). */
    final Object key(Serializer<Object> keySerializer) {
        if (!keyDecoded) {
            keyObject = keySerializer.read(input.reset(keyBuf(), keyOff(), keyLen()));
            keyDecoded = true;
        }
        return keyObject;
    }

    final Object value(Serializer<Object> valueSerializer) {
        return valueSerializer.read(input.reset(valueBuf(), valueOff(), valueLen()));
    }

    @Override
    public void close() throws IOException {}
}
