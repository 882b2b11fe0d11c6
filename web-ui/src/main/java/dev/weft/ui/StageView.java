package dev.weft.ui;

import dev.weft.events.StageState;
import dev.weft.events.TaskLocality;
import java.util.List;
import java.util.Map;

/**
 * One attempt of a stage as the UI shows it: its state, task counts, the quantiles of its succeeded tasks' durations
 * and shuffle sizes, the locality its attempts launched at, its failed attempts with their causes (the latest {@value
 * StatusStore#MAX_FAILURES_PER_STAGE}) and the sum of its succeeded attempts' counters.
 */
public record StageView(
        int stageId,
        int attempt,
        String name,
        boolean shuffleMap,
        StageState state,
        int numTasks,
        long submissionTime,
        long completionTime,
        String reason,
        List<Integer> jobIds,
        List<Integer> parentIds,
        int runningTasks,
        int succeededTasks,
        int failedTasks,
        int killedTasks,
        Map<TaskLocality, Integer> localityCounts,
        Quantiles durationMillis,
        Quantiles shuffleReadBytes,
        Quantiles shuffleWriteBytes,
        Quantiles gcMillis,
        List<TaskFailure> failures,
        Counters counters) {

    public StageView {
        jobIds = List.copyOf(jobIds);
        parentIds = List.copyOf(parentIds);
        localityCounts = Map.copyOf(localityCounts);
        failures = List.copyOf(failures);
    }

    /** An attempt of a task that ended without a result: {@code error} is the WeftError's name, null if none. */
    public record TaskFailure(
            long taskId, int partition, int attempt, String executorId, String state, String error, String reason) {}
}
