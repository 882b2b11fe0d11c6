package dev.weft.core;

import java.util.Arrays;

/**
 * Partitions by {@code key.hashCode()} (byte[] by content). Keys whose hash code is not stable across
 * JVMs (enums, identity-hashed objects) must use their own partitioner.
 */
public record HashPartitioner(int numPartitions) implements Partitioner {
    public HashPartitioner {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException("numPartitions must be > 0: " + numPartitions);
        }
    }

    @Override
    public int partition(Object key) {
        if (numPartitions == 1) {
            return 0;
        }
        int h = key == null ? 0 : key instanceof byte[] b ? Arrays.hashCode(b) : key.hashCode();
        // Spread the bits: String hashes of short keys cluster in the low bits.
        h ^= (h >>> 16);
        return Math.floorMod(h, numPartitions);
    }
}
