package dev.weft.core;

import java.io.Serializable;

/**
 * A key and a value: the record type of pair datasets and the result type of joins. Either side may be
 * null only where an operation says so (outer joins leave the missing side null).
 */
public record Pair<K, V>(K key, V value) implements Serializable {

    public static <K, V> Pair<K, V> of(K key, V value) {
        return new Pair<>(key, value);
    }

    @Override
    public String toString() {
        return "(" + key + "," + value + ")";
    }
}
