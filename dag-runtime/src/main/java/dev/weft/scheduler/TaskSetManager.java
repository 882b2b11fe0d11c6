package dev.weft.scheduler;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Tracks the attempts of one {@link TaskSet}: which partitions are pending, running, done, and how often
 * each failed. A zombie manager launches nothing more but still accepts results of attempts in flight.
 * Owned by the scheduler thread.
 */
final class TaskSetManager {
    final TaskSet taskSet;
    private final int maxAttempts;
    private final Map<Integer, TaskSet.TaskSpec> byPartition = new HashMap<>();
    private final Map<Integer, Integer> launches = new HashMap<>();
    private final Map<Integer, Integer> failures = new HashMap<>();
    private final Map<Integer, Boolean> succeeded = new HashMap<>();
    private final Deque<Integer> pending = new ArrayDeque<>();
    private int running;
    private boolean zombie;

    TaskSetManager(TaskSet taskSet, int maxAttempts) {
        this.taskSet = taskSet;
        this.maxAttempts = maxAttempts;
        for (TaskSet.TaskSpec t : taskSet.tasks()) {
            byPartition.put(t.partition(), t);
            pending.add(t.partition());
        }
    }

    boolean hasPending() {
        return !zombie && !pending.isEmpty();
    }

    /** Takes the next partition to launch and returns its attempt number. */
    int[] pollNext() {
        int p = pending.poll();
        int attempt = launches.merge(p, 1, Integer::sum) - 1;
        running++;
        return new int[] {p, attempt};
    }

    byte[] serializedTask(int partition) {
        return byPartition.get(partition).serializedTask();
    }

    /** Returns true when this is the first success for the partition. */
    boolean succeeded(int partition) {
        running--;
        return succeeded.put(partition, Boolean.TRUE) == null;
    }

    /** Records a failure; returns the failure count, and re-queues the partition unless it is exhausted. */
    int failed(int partition) {
        running--;
        int n = failures.merge(partition, 1, Integer::sum);
        if (!zombie && n < maxAttempts && !succeeded.containsKey(partition)) {
            pending.add(partition);
        }
        return n;
    }

    /** An attempt that ended without its own fault (killed, executor lost): run it again, uncounted. */
    void requeue(int partition) {
        running--;
        if (!zombie && !succeeded.containsKey(partition)) {
            pending.addFirst(partition);
        }
    }

    void makeZombie() {
        zombie = true;
        pending.clear();
    }

    boolean isZombie() {
        return zombie;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** Finished: every partition succeeded, or a zombie with nothing left running. */
    boolean isDone() {
        return (zombie && running == 0) || (succeeded.size() == byPartition.size() && running == 0);
    }
}
