package dev.weft.api;

import java.util.Comparator;

/** Natural ({@link Comparable}) order of keys; nulls first. A serializable singleton. */
public enum NaturalOrder implements Comparator<Object> {
    INSTANCE;

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (!(a instanceof Comparable)) {
            throw new ClassCastException(
                    "key class " + a.getClass().getName() + " is not Comparable; pass a comparator to sortByKey");
        }
        return ((Comparable) a).compareTo(b);
    }
}
