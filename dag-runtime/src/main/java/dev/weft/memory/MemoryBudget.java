package dev.weft.memory;

import java.util.HashMap;
import java.util.Map;

/**
 * One executor's memory for shuffle buffers, aggregation maps (execution) and cached blocks (storage).
 * Consumers ask before they grow; when refused they spill (execution) or skip caching (storage), so the
 * budget, not the heap, decides when data goes to disk.
 *
 * <p>Execution memory is asked for through a task's {@link TaskMemory} ({@link #forTask}) and shared fairly
 * among the tasks that hold or ask for it ({@link FairShare}): with {@code N} such tasks each may hold at
 * most {@code 1/N} of the pool and is guaranteed {@code 1/(2N)}; a task below that guarantee waits for
 * others to spill instead of being refused, so one task can no longer starve another into failing. The pool
 * is the capacity less what storage holds.
 *
 * <p>Storage is not a task: it never waits and never makes a task wait. It takes only free memory, and at
 * most {@link #STORAGE_FRACTION} of the capacity, so at least the rest always remains for tasks; a block
 * that does not fit is kept on disk or recomputed, as its storage level says. Cached blocks are not evicted
 * for tasks: since storage is capped, a task that cannot get memory spills instead. Memory that storage
 * holds is never waited for; waiting is only for memory that running tasks hold and will give back.
 *
 * <p>Thread-safe: all task threads of an executor share one instance; state is guarded by one lock, on
 * which waiting tasks are woken whenever memory is released or the number of tasks changes.
 */
public final class MemoryBudget {
    /** The largest part of the capacity that cached blocks may hold. */
    public static final double STORAGE_FRACTION = 0.5;

    private final long capacity;
    private final long storageCap;
    private final Object lock = new Object();
    // Guarded by lock: bytes held per task attempt that holds or is asking for execution memory.
    private final Map<Long, Long> heldByTask = new HashMap<>();
    private long executionUsed;
    private long storageUsed;
    private long peak;
    private int waiting;

    public MemoryBudget(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0 bytes: " + capacityBytes);
        }
        this.capacity = capacityBytes;
        this.storageCap = (long) (capacityBytes * STORAGE_FRACTION);
    }

    /** The view through which task attempt {@code taskAttemptId} asks for execution memory. */
    public TaskMemory forTask(long taskAttemptId) {
        if (taskAttemptId < 0) {
            throw new IllegalArgumentException("taskAttemptId must be >= 0: " + taskAttemptId);
        }
        return new TaskMemory(this, taskAttemptId);
    }

    /** See {@link TaskMemory#tryAcquire}. */
    boolean acquireForTask(long task, long bytes) {
        checkBytes(bytes);
        if (bytes == 0) {
            return true;
        }
        synchronized (lock) {
            if (heldByTask.putIfAbsent(task, 0L) == null) {
                lock.notifyAll(); // one more task: every other task's share shrinks, waiters decide again
            }
            while (true) {
                long held = heldByTask.get(task);
                long pool = capacity - storageUsed;
                FairShare.Decision d = FairShare.decide(pool, heldByTask.size(), held, pool - executionUsed, bytes);
                if (d == FairShare.Decision.GRANT) {
                    heldByTask.put(task, held + bytes);
                    executionUsed += bytes;
                    peak = Math.max(peak, executionUsed + storageUsed);
                    return true;
                }
                if (d == FairShare.Decision.REFUSE) {
                    forgetIfIdle(task);
                    return false;
                }
                // WAIT: every release or change in the number of tasks wakes us to decide again (a spurious
                // wake-up just decides again too).
                waiting++;
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    forgetIfIdle(task);
                    return false;
                } finally {
                    waiting--;
                }
            }
        }
    }

    /** See {@link TaskMemory#release}. */
    void releaseForTask(long task, long bytes) {
        checkBytes(bytes);
        synchronized (lock) {
            long held = heldByTask.getOrDefault(task, 0L);
            if (bytes > held) {
                throw new IllegalStateException(
                        "task " + task + " released " + bytes + " bytes but holds only " + held);
            }
            heldByTask.put(task, held - bytes);
            executionUsed -= bytes;
            forgetIfIdle(task);
            lock.notifyAll();
        }
    }

    /** See {@link TaskMemory#close}. */
    void releaseAllForTask(long task) {
        synchronized (lock) {
            Long held = heldByTask.remove(task);
            if (held != null) {
                executionUsed -= held;
                lock.notifyAll();
            }
        }
    }

    /** A task that holds nothing and is not asking no longer counts towards N. Holds the lock. */
    private void forgetIfIdle(long task) {
        if (heldByTask.getOrDefault(task, 0L) == 0L && heldByTask.remove(task) != null) {
            lock.notifyAll(); // one task fewer: every other task's share grows
        }
    }

    long heldBy(long task) {
        synchronized (lock) {
            return heldByTask.getOrDefault(task, 0L);
        }
    }

    /**
     * Takes {@code bytes} for cached blocks if they are free and storage stays within its cap; never waits.
     */
    public boolean tryAcquireStorage(long bytes) {
        checkBytes(bytes);
        synchronized (lock) {
            if (storageUsed + bytes > storageCap || executionUsed + storageUsed + bytes > capacity) {
                return false;
            }
            storageUsed += bytes;
            peak = Math.max(peak, executionUsed + storageUsed);
            // The tasks' pool shrank: a waiter may no longer be entitled to wait and should spill instead.
            lock.notifyAll();
            return true;
        }
    }

    /** Gives back bytes taken by {@link #tryAcquireStorage}. */
    public void releaseStorage(long bytes) {
        checkBytes(bytes);
        synchronized (lock) {
            if (bytes > storageUsed) {
                throw new IllegalStateException(
                        "released " + bytes + " bytes of storage, more than the " + storageUsed + " in use");
            }
            storageUsed -= bytes;
            lock.notifyAll();
        }
    }

    private static void checkBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes held by tasks and cached blocks together. */
    public long used() {
        synchronized (lock) {
            return executionUsed + storageUsed;
        }
    }

    public long executionUsed() {
        synchronized (lock) {
            return executionUsed;
        }
    }

    public long storageUsed() {
        synchronized (lock) {
            return storageUsed;
        }
    }

    /** Tasks holding or asking for execution memory now: the {@code N} of the fair share. */
    public int activeTasks() {
        synchronized (lock) {
            return heldByTask.size();
        }
    }

    /** Tasks blocked in {@link TaskMemory#tryAcquire} now, waiting for others to release memory. */
    public int waitingTasks() {
        synchronized (lock) {
            return waiting;
        }
    }

    /** The most bytes ever held at once. */
    public long peak() {
        synchronized (lock) {
            return peak;
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "MemoryBudget[capacity " + capacity + ", execution " + executionUsed + " for " + heldByTask.size()
                    + " tasks, storage " + storageUsed + ", " + waiting + " waiting]";
        }
    }
}
