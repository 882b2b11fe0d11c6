package dev.weft.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One executor's budget for shuffle buffers, aggregation maps and cached blocks. Consumers ask before
 * they grow; when refused they spill (shuffle) or skip caching (cache), so the budget, not the heap,
 * decides when data goes to disk.
 *
 * <p>Thread-safe: all task threads of an executor share one instance.
 */
public final class MemoryBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    public MemoryBudget(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0 bytes: " + capacityBytes);
        }
        this.capacity = capacityBytes;
    }

    /** Reserves {@code bytes} if they fit; returns whether they were granted. */
    public boolean tryAcquire(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        while (true) {
            long u = used.get();
            if (u + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                peak.accumulateAndGet(u + bytes, Math::max);
                return true;
            }
        }
    }

    /** Returns bytes granted earlier by {@link #tryAcquire(long)}. */
    public void release(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        long after = used.addAndGet(-bytes);
        if (after < 0) {
            used.addAndGet(bytes);
            throw new IllegalStateException(
                    "released " + bytes + " bytes, more than the " + (after + bytes) + " in use");
        }
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return used.get();
    }

    public long peak() {
        return peak.get();
    }
}
