package dev.weft.transport.server;

import java.util.HashMap;
import java.util.Map;

/**
 * A byte budget shared by all connections of one server, split fairly between the applications that have bytes in
 * flight: an application may queue up to {@code max / n} bytes while {@code n} applications (itself included) have
 * some, so one tenant whose clients stop reading cannot hold the whole budget and leave the others BUSY. An
 * application with nothing in flight is always admitted once, so every block (even one larger than the budget) can be
 * served and every application makes progress. The total can then exceed {@code max} while shares shrink (bytes
 * admitted under a larger share stay until sent); it is bounded by the stall timeout that closes connections whose
 * peers stop reading. Thread-safe.
 */
final class InFlightBudget {
    private final long max;
    private final Map<String, Long> perApp = new HashMap<>();
    private long used;

    InFlightBudget(long max) {
        this.max = max;
    }

    synchronized boolean tryAcquire(String appId, long bytes) {
        long mine = perApp.getOrDefault(appId, 0L);
        if (mine > 0) {
            long share = max / perApp.size();
            if (mine + bytes > share) {
                return false;
            }
        }
        perApp.put(appId, mine + bytes);
        used += bytes;
        return true;
    }

    synchronized void release(String appId, long bytes) {
        Long mine = perApp.get(appId);
        if (mine == null || mine < bytes || used < bytes) {
            throw new IllegalStateException("released more than acquired for " + appId + ": " + bytes);
        }
        used -= bytes;
        if (mine == bytes) {
            perApp.remove(appId);
        } else {
            perApp.put(appId, mine - bytes);
        }
    }

    synchronized long used() {
        return used;
    }
}
