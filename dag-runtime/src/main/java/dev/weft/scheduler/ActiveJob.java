package dev.weft.scheduler;

import dev.weft.events.JobState;
import dev.weft.metrics.TaskMetrics;
import dev.weft.plan.Node;
import dev.weft.task.ResultFunction;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** One submitted action. Fields other than {@link #done} are owned by the scheduler thread. */
final class ActiveJob {
    final int jobId;
    final Node<?> node;
    final ResultFunction<?, ?> fn;
    /** Split indices of {@link #node} to compute. */
    final int[] partitions;

    /**
     * Position of each split index in {@link #partitions} (the first, if listed twice), so that a task's result
     * is placed in O(1); null when {@link #partitions} is 0..n-1 in order, which every job over all splits is.
     */
    private final Map<Integer, Integer> positions;

    final boolean[] finished;
    /** Receives (position in {@link #partitions}, task result) on the scheduler thread. */
    final BiConsumer<Integer, Object> resultHandler;

    final CompletableFuture<TaskMetrics> done = new CompletableFuture<>();
    final TaskMetrics metrics = new TaskMetrics();
    int numFinished;
    JobState state = JobState.RUNNING;
    ResultStage finalStage;

    ActiveJob(
            int jobId,
            Node<?> node,
            ResultFunction<?, ?> fn,
            int[] partitions,
            BiConsumer<Integer, Object> resultHandler) {
        this.jobId = jobId;
        this.node = node;
        this.fn = fn;
        this.partitions = partitions.clone();
        this.positions = isIdentity(this.partitions) ? null : positions(this.partitions);
        this.finished = new boolean[partitions.length];
        this.resultHandler = resultHandler;
    }

    /** The position of split {@code partition} in {@link #partitions}, or -1 when the job does not compute it. */
    int indexOf(int partition) {
        if (positions == null) {
            return partition >= 0 && partition < partitions.length ? partition : -1;
        }
        return positions.getOrDefault(partition, -1);
    }

    private static boolean isIdentity(int[] partitions) {
        for (int i = 0; i < partitions.length; i++) {
            if (partitions[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static Map<Integer, Integer> positions(int[] partitions) {
        Map<Integer, Integer> out = new HashMap<>();
        for (int i = 0; i < partitions.length; i++) {
            out.putIfAbsent(partitions[i], i);
        }
        return out;
    }
}
