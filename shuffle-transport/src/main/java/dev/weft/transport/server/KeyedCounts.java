package dev.weft.transport.server;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts held things (connections, open files) in all and per key (a remote address, an application), each under
 * its own cap. Thread-safe.
 */
final class KeyedCounts {
    /** Which cap refused an acquisition. */
    enum Refusal {
        TOTAL,
        KEY
    }

    private final int maxTotal;
    private final int maxPerKey;
    private final Map<String, Integer> perKey = new HashMap<>();
    private int total;

    KeyedCounts(int maxTotal, int maxPerKey) {
        if (maxTotal < 1 || maxPerKey < 1) {
            throw new IllegalArgumentException("limits must be >= 1: " + maxTotal + ", " + maxPerKey);
        }
        this.maxTotal = maxTotal;
        this.maxPerKey = maxPerKey;
    }

    /** Counts one more for {@code key}; null when both caps allowed it, else the cap that did not. */
    synchronized Refusal tryAcquire(String key) {
        int forKey = perKey.getOrDefault(key, 0);
        if (total >= maxTotal) {
            return Refusal.TOTAL;
        }
        if (forKey >= maxPerKey) {
            return Refusal.KEY;
        }
        total++;
        perKey.put(key, forKey + 1);
        return null;
    }

    synchronized void release(String key) {
        Integer forKey = perKey.get(key);
        if (forKey == null || total == 0) {
            throw new IllegalStateException("released one " + key + " did not hold");
        }
        total--;
        if (forKey == 1) {
            perKey.remove(key);
        } else {
            perKey.put(key, forKey - 1);
        }
    }

    synchronized int total() {
        return total;
    }

    synchronized int count(String key) {
        return perKey.getOrDefault(key, 0);
    }

    int maxTotal() {
        return maxTotal;
    }

    int maxPerKey() {
        return maxPerKey;
    }
}
