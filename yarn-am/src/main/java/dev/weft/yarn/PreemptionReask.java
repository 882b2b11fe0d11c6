package dev.weft.yarn;

/**
 * Holds back the executor application's container requests while the ResourceManager takes containers back:
 * the replacements of executors lost to preemption and the requests that were outstanding when it asked are
 * asked for again once it has asked for nothing for {@code weft.executor.preemption-reask-delay}.
 *
 * <p>Why not ask again at once: the CapacityScheduler counts an application's <em>reservation</em> as its
 * queue's usage. A driver waiting in the drivers queue is often reserved on a full node other than the one the
 * policy freed, and then the drivers queue and the executors queue can look equally served. Any executor
 * request outstanding when the container is released (a replacement, or one the queue's maximum held back) competes with that driver for the freed node and can win it back; the
 * driver then stays reserved where nothing frees up, and the policy, counting the reservation as served, takes
 * nothing more. With no executor request outstanding, the freed node can only go to the waiting application,
 * which the scheduler moves there from its reservation.
 *
 * <p>Allocator thread only; times are {@link Ticker} nanos.
 */
final class PreemptionReask {
    private final long delayNanos;
    private int owed;
    private long lastPreemptionNanos;

    PreemptionReask(long delayMs) {
        if (delayMs < 0) {
            throw new IllegalArgumentException("delay is negative: " + delayMs + " ms");
        }
        this.delayNanos = delayMs * 1_000_000L;
    }

    /** The ResourceManager asked for containers back (a non-empty preemption message). */
    void asked(long nowNanos) {
        lastPreemptionNanos = nowNanos;
    }

    /**
     * {@code containers} executors were given back, taken or withdrawn from the ResourceManager for preemption,
     * and are to be asked for later.
     */
    void holdBack(int containers, long nowNanos) {
        if (containers < 0) {
            throw new IllegalArgumentException("containers is negative: " + containers);
        }
        owed += containers;
        lastPreemptionNanos = nowNanos;
    }

    /** How many replacements to ask for now: all owed once the ResourceManager has been quiet long enough. */
    int due(long nowNanos) {
        if (owed == 0 || nowNanos - lastPreemptionNanos < delayNanos) {
            return 0;
        }
        int n = owed;
        owed = 0;
        return n;
    }

    /** Replacements held back now. */
    int owed() {
        return owed;
    }
}
