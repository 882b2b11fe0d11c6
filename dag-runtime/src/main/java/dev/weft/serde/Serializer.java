package dev.weft.serde;

import java.io.Serializable;

/**
 * Turns values of one dataset into bytes and back. Records cross shuffle, cache and broadcast as these
 * bytes, so every encoding must be:
 * <ul>
 *   <li><b>self-delimiting</b>: {@link #read} consumes exactly what {@link #write} produced, so values can
 *       be nested and concatenated;</li>
 *   <li><b>deterministic</b>: equal values produce equal bytes, because the shuffle groups keys by their
 *       bytes.</li>
 * </ul>
 * An encoding may additionally be <b>order-preserving</b> for some values (see
 * {@link #orderPreserving(byte[], int, int)}): then unsigned lexicographic byte order equals the values'
 * natural order and the shuffle sorts without deserializing.
 *
 * <p>Implementations are immutable and thread-safe; they travel inside tasks, hence {@link Serializable}.
 */
public interface Serializer<T> extends Serializable {

    void write(T value, RecordOutput out);

    T read(RecordInput in);

    /**
     * Whether the encoded value at {@code buf[off, off+len)} compares correctly as unsigned bytes against
     * any other value for which this also returns true. Default: never.
     */
    default boolean orderPreserving(byte[] buf, int off, int len) {
        return false;
    }
}
