package dev.weft.memory;

/**
 * One task attempt's view of its executor's {@link MemoryBudget}: what shuffle writers, readers and
 * aggregation maps of that attempt ask for and give back. Requests follow the fair share described in
 * {@link MemoryBudget}: {@link #tryAcquire} may block while the task is below its guaranteed share and
 * others must first spill. {@link #close()} returns whatever the attempt still holds; the task runner calls
 * it when the attempt ends, however it ends.
 *
 * <p>Thread-safe (all state lives in the budget), though one attempt normally uses it from its own thread.
 */
public final class TaskMemory implements AutoCloseable {
    private final MemoryBudget budget;
    private final long taskAttemptId;

    TaskMemory(MemoryBudget budget, long taskAttemptId) {
        this.budget = budget;
        this.taskAttemptId = taskAttemptId;
    }

    /**
     * Takes {@code bytes} for this task, all or nothing. Returns false when the caller should spill instead:
     * the task is at or above its fair share, or the request exceeds what one task may hold, or the thread
     * was interrupted while waiting (its interrupt status is kept). Blocks while the task is below its
     * guaranteed share and the memory is held by tasks that must spill first.
     */
    public boolean tryAcquire(long bytes) {
        return budget.acquireForTask(taskAttemptId, bytes);
    }

    /** Gives back {@code bytes} taken by {@link #tryAcquire}; wakes tasks waiting for memory. */
    public void release(long bytes) {
        budget.releaseForTask(taskAttemptId, bytes);
    }

    /** Bytes this task holds now. */
    public long held() {
        return budget.heldBy(taskAttemptId);
    }

    public long taskAttemptId() {
        return taskAttemptId;
    }

    /** The executor's budget this view draws from (for sizing pages against its capacity). */
    public MemoryBudget budget() {
        return budget;
    }

    /** Gives back everything this task still holds and stops counting it as a task; idempotent. */
    @Override
    public void close() {
        budget.releaseAllForTask(taskAttemptId);
    }

    @Override
    public String toString() {
        return "TaskMemory[task " + taskAttemptId + ", holds " + held() + " of " + budget.capacity() + " bytes]";
    }
}
