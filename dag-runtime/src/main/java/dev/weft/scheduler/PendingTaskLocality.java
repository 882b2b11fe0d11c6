package dev.weft.scheduler;

import java.util.Map;
import java.util.Objects;

/**
 * Where the tasks waiting for a core would like to run, for backends that request executors near the data
 * (YARN container requests naming nodes). The scheduler thread publishes a fresh immutable snapshot after
 * every scheduling round; any thread may read it without locking and gets a consistent view.
 *
 * <p>Reached by backends through {@link DriverContext#pendingTasks()}. A backend should poll it when it
 * decides on container requests (for example on each AMRM heartbeat) rather than expect a callback.
 */
public final class PendingTaskLocality {
    /**
     * @param pendingTasks       tasks of active stages waiting for a core
     * @param localityAwareTasks of those, the tasks with at least one preferred host
     * @param tasksByHost        host to the number of pending tasks that prefer it; a task preferring three
     *                           replicas' hosts counts once on each
     */
    public record Snapshot(int pendingTasks, int localityAwareTasks, Map<String, Integer> tasksByHost) {
        public static final Snapshot EMPTY = new Snapshot(0, 0, Map.of());

        public Snapshot {
            tasksByHost = Map.copyOf(Objects.requireNonNull(tasksByHost, "tasksByHost is null"));
        }
    }

    private volatile Snapshot current = Snapshot.EMPTY;
    private volatile java.util.Set<String> cachingExecutors = java.util.Set.of();

    /**
     * The executors holding cached partitions the driver knows of (a backend releasing idle executors keeps these, as
     * their blocks would otherwise be computed again); thread-safe.
     */
    public java.util.Set<String> cachingExecutors() {
        return cachingExecutors;
    }

    /** Called by the scheduler thread only, when the set changes. */
    void publishCachingExecutors(java.util.Set<String> executors) {
        cachingExecutors = java.util.Set.copyOf(executors);
    }

    /** The latest snapshot; thread-safe. */
    public Snapshot snapshot() {
        return current;
    }

    /** Shorthand for {@code snapshot().tasksByHost()}; thread-safe. */
    public Map<String, Integer> pendingTasksByHost() {
        return current.tasksByHost();
    }

    /** Called by the scheduler thread only. */
    void publish(Snapshot snapshot) {
        current = Objects.requireNonNull(snapshot, "snapshot is null");
    }
}
