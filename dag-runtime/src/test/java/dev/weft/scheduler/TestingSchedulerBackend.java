package dev.weft.scheduler;

import dev.weft.id.ExecutorId;
import dev.weft.id.TaskAttemptId;
import dev.weft.task.TaskDescription;
import java.util.ArrayList;
import java.util.List;

/** A backend that only records what the scheduler asks of it; tests report outcomes themselves. */
final class TestingSchedulerBackend implements SchedulerBackend {
    record Launched(String executorId, TaskDescription task) {}

    final List<Launched> launched = new ArrayList<>();
    final List<Long> killed = new ArrayList<>();
    final List<String> excludedExecutors = new ArrayList<>();
    /** Node exclusion changes as "+host" (excluded) and "-host" (re-admitted), in order. */
    final List<String> nodeExclusions = new ArrayList<>();
    /** What {@link #replacesExcludedExecutors()} answers. */
    boolean replaces;
    /** What {@link #clusterHosts()} answers. */
    java.util.Set<String> clusterHosts = java.util.Set.of();

    @Override
    public void executorExcluded(ExecutorId executorId, String reason) {
        excludedExecutors.add(executorId.value());
    }

    @Override
    public void nodeExclusionChanged(String host, boolean excluded, String reason) {
        nodeExclusions.add((excluded ? "+" : "-") + host);
    }

    @Override
    public boolean replacesExcludedExecutors() {
        return replaces;
    }

    @Override
    public java.util.Set<String> clusterHosts() {
        return clusterHosts;
    }

    @Override
    public void start(Listener listener) {}

    @Override
    public void launch(ExecutorId executorId, TaskDescription task) {
        launched.add(new Launched(executorId.value(), task));
    }

    @Override
    public void kill(TaskAttemptId taskId, String reason) {
        killed.add(taskId.value());
    }

    @Override
    public void stop() {}

    @Override
    public int defaultParallelism() {
        return 1;
    }

    @Override
    public void removeCachedDataset(int nodeId) {}

    @Override
    public void removeShuffle(int shuffleId) {}
}
