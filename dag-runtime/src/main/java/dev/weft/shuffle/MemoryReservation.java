package dev.weft.shuffle;

import dev.weft.memory.TaskMemory;

/**
 * The bytes one shuffle component holds from its task's {@link TaskMemory}, so that it can give all of them
 * back in one call (also on failure). A reservation without a budget accounts nothing and never refuses; it
 * serves transient buffers whose memory is already charged elsewhere.
 *
 * <p>Not thread-safe: owned by one task; the budget it draws from is shared and thread-safe.
 * {@link #tryReserve} may block while the task waits for its fair share (see {@code MemoryBudget}).
 */
final class MemoryReservation implements AutoCloseable {
    private final TaskMemory budget;
    private long held;
    private long peak;

    MemoryReservation(TaskMemory budget) {
        this.budget = budget;
    }

    static MemoryReservation unbudgeted() {
        return new MemoryReservation(null);
    }

    boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        if (budget != null && !budget.tryAcquire(bytes)) {
            return false;
        }
        held += bytes;
        peak = Math.max(peak, held);
        return true;
    }

    void release(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        if (bytes > held) {
            throw new IllegalStateException("releasing " + bytes + " bytes, only " + held + " held");
        }
        held -= bytes;
        if (budget != null) {
            budget.release(bytes);
        }
    }

    long held() {
        return held;
    }

    long peak() {
        return peak;
    }

    @Override
    public void close() {
        release(held);
    }
}
