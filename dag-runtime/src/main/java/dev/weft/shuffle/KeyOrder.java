package dev.weft.shuffle;

import dev.weft.serde.Serializer;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The total order of serialized keys that map-side sorting and reduce-side merging share, so that runs
 * written by one can be merged by the other:
 * <ul>
 *   <li>GROUPED: unsigned bytes (any total order keeps equal keys adjacent);</li>
 *   <li>SORTED, natural order: unsigned bytes when both keys are order-preserving per the key
 *       serializer, otherwise {@link Comparable#compareTo} on the deserialized keys;</li>
 *   <li>SORTED with a key comparator: always that comparator (it may disagree with byte order).</li>
 * </ul>
 * A descending SORTED shuffle reverses the whole order (see {@link #direction()}).
 * Object comparisons that tie fall back to the key bytes, so keys that compare equal but serialize
 * differently never interleave (aggregation combines by equal bytes).
 *
 * <p>Immutable and thread-safe.
 */
final class KeyOrder {
    private final KeyOrdering ordering;
    private final Comparator<Object> comparator;
    private final Serializer<Object> keySerializer;
    private final int shuffleId;
    private final int direction;

    KeyOrder(ShuffleSpec spec) {
        this.direction = spec.descending() ? -1 : 1;
        this.ordering = spec.ordering();
        this.comparator = spec.keyComparator();
        this.keySerializer = spec.keySerializer();
        this.shuffleId = spec.shuffleId();
    }

    KeyOrdering ordering() {
        return ordering;
    }

    Serializer<Object> keySerializer() {
        return keySerializer;
    }

    /** Whether keys are compared only as bytes when every key involved is order-preserving. */
    boolean bytesSufficeForOrderPreserving() {
        return ordering == KeyOrdering.GROUPED || comparator == null;
    }

    /** Whether comparing these two keys needs the deserialized objects. */
    boolean needsObjects(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        if (ordering == KeyOrdering.GROUPED) {
            return false;
        }
        if (comparator != null) {
            return true;
        }
        return !(keySerializer.orderPreserving(a, aOff, aLen) && keySerializer.orderPreserving(b, bOff, bLen));
    }

    static int compareBytes(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        return Arrays.compareUnsigned(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
    }

    /** Compares deserialized keys; the caller breaks a tie with {@link #compareBytes}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    int compareObjects(Object a, Object b) {
        if (comparator != null) {
            return comparator.compare(a, b);
        }
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (!(a instanceof Comparable)) {
            throw notComparable(a);
        }
        if (!(b instanceof Comparable)) {
            throw notComparable(b);
        }
        return ((Comparable) a).compareTo(b);
    }

    private IllegalArgumentException notComparable(Object key) {
        return new IllegalArgumentException("shuffle " + shuffleId + " sorts by key, but key class "
                + key.getClass().getName() + " is not Comparable and no keyComparator was given");
    }

    /** -1 for a descending sort, else 1: multiplies every ordering comparison. */
    int direction() {
        return direction;
    }

    /** Full comparison of the current keys of two sources. */
    int compare(RecordSource a, RecordSource b) {
        return direction * compareAscending(a, b);
    }

    private int compareAscending(RecordSource a, RecordSource b) {
        byte[] ab = a.keyBuf();
        int ao = a.keyOff();
        int al = a.keyLen();
        byte[] bb = b.keyBuf();
        int bo = b.keyOff();
        int bl = b.keyLen();
        if (needsObjects(ab, ao, al, bb, bo, bl)) {
            int c = compareObjects(a.key(keySerializer), b.key(keySerializer));
            if (c != 0) {
                return c;
            }
        }
        return compareBytes(ab, ao, al, bb, bo, bl);
    }
}
