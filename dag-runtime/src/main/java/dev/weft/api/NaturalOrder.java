package dev.weft.api;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Natural ({@link Comparable}) order of keys; nulls first. {@code byte[]} keys, which are not Comparable, compare as
 * unsigned bytes, lexicographically (TeraSort's order of 10-byte keys), the order their shuffle encoding has. A
 * serializable singleton.
 */
public enum NaturalOrder implements Comparator<Object> {
    INSTANCE;

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (!(a instanceof Comparable)) {
            throw new ClassCastException(
                    "key class " + a.getClass().getName() + " is not Comparable; pass a comparator to sortByKey");
        }
        return ((Comparable) a).compareTo(b);
    }
}
