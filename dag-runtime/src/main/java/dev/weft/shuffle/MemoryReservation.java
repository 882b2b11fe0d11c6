package dev.weft.shuffle;

import dev.weft.memory.MemoryBudget;

/**
 * The bytes one shuffle component holds from a {@link MemoryBudget}, so that it can give all of them back
 * in one call (also on failure). A reservation without a budget accounts nothing and never refuses; it
 * serves transient buffers whose memory is already charged elsewhere.
 *
 * <p>Not thread-safe: owned by one task; the budget it draws from is shared and thread-safe.
 */
final class MemoryReservation implements AutoCloseable {
    private final MemoryBudget budget;
    private long held;
    private long peak;

    MemoryReservation(MemoryBudget budget) {
        this.budget = budget;
    }

    static MemoryReservation unbudgeted() {
        return new MemoryReservation(null);
    }

    boolean tryReserve(long bytes) {
        if (budget != null && !budget.tryAcquire(bytes)) {
            return false;
        }
        held += bytes;
        peak = Math.max(peak, held);
        return true;
    }

    void release(long bytes) {
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
