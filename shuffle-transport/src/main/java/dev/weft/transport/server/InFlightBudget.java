package dev.weft.transport.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte budget shared by all connections of one server. Thread-safe (lock-free). A request larger than the whole
 * budget is admitted when nothing else is in flight, so that every block can eventually be served.
 */
final class InFlightBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    InFlightBudget(long max) {
        this.max = max;
    }

    boolean tryAcquire(long bytes) {
        while (true) {
            long current = used.get();
            if (current > 0 && current + bytes > max) {
                return false;
            }
            if (used.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        long after = used.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException("released more than acquired: " + after);
        }
    }

    long used() {
        return used.get();
    }
}
