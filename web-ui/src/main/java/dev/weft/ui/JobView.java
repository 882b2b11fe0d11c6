package dev.weft.ui;

import dev.weft.events.JobState;
import dev.weft.events.WeftEvent;
import java.util.List;

/**
 * One job as the UI shows it. {@code completionTime} is 0 while it runs; {@code plan} is every stage its result
 * depends on (those an earlier job computed included, which then show as skipped); the task counts are those of the
 * stage attempts that ran for it; {@code counters} sum its succeeded attempts.
 */
public record JobView(
        int jobId,
        String callSite,
        JobState state,
        long submissionTime,
        long completionTime,
        String failureReason,
        List<WeftEvent.PlannedStage> plan,
        List<Integer> stageIdsRun,
        int numTasks,
        int succeededTasks,
        int failedTasks,
        Counters counters) {

    public JobView {
        plan = List.copyOf(plan);
        stageIdsRun = List.copyOf(stageIdsRun);
    }
}
