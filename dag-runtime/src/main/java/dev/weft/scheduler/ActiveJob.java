package dev.weft.scheduler;

import dev.weft.events.JobState;
import dev.weft.metrics.TaskMetrics;
import dev.weft.plan.Node;
import dev.weft.task.ResultFunction;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** One submitted action. Fields other than {@link #done} are owned by the scheduler thread. */
final class ActiveJob {
    final int jobId;
    final Node<?> node;
    final ResultFunction<?, ?> fn;
    /** Split indices of {@link #node} to compute. */
    final int[] partitions;

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
        this.finished = new boolean[partitions.length];
        this.resultHandler = resultHandler;
    }

    int indexOf(int partition) {
        for (int i = 0; i < partitions.length; i++) {
            if (partitions[i] == partition) {
                return i;
            }
        }
        return -1;
    }
}
