package dev.weft.shuffle;

/**
 * A pull-based stream of shuffle records that also exposes each record's serialized key, so consumers
 * (cogroup, joins) can merge several streams by key bytes without re-serializing.
 *
 * <p>Lifecycle: call {@link #advance()} before the first record; the accessors are valid until the
 * next {@code advance()}. {@link #close()} releases files and memory and may be called at any time.
 * Not thread-safe.
 */
public interface RecordStream extends AutoCloseable {
    boolean advance();

    Object key();

    Object value();

    /** Array holding the current record's serialized key; valid until the next {@link #advance()}. */
    byte[] keyBuffer();

    int keyOffset();

    int keyLength();

    @Override
    void close();
}
