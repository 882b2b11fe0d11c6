package dev.weft.events;

import dev.weft.error.WeftError;
import dev.weft.metrics.TaskMetrics;
import java.util.List;

/**
 * Every state change of the schedulers, published in order on the scheduler thread. A journal, a UI and
 * a test all observe the same stream.
 */
public sealed interface WeftEvent {
    long timeMillis();

    record JobStateChanged(
            long timeMillis, int jobId, String callSite, JobState from, JobState to, String reason, TaskMetrics metrics)
            implements WeftEvent {}

    /**
     * The stages of a job as planned when it was submitted, published right after its {@link JobStateChanged} to
     * RUNNING: every stage the job's result depends on, those an earlier job already computed included (they never
     * run for this job unless their output is lost). What a UI draws as the job's graph.
     */
    record JobPlanned(long timeMillis, int jobId, List<PlannedStage> stages) implements WeftEvent {
        public JobPlanned {
            stages = List.copyOf(stages);
        }
    }

    /** One stage of a {@link JobPlanned}: {@code parentIds} are the stages whose shuffle output it reads. */
    record PlannedStage(int stageId, String name, boolean shuffleMap, int numTasks, List<Integer> parentIds) {
        public PlannedStage {
            if (stageId < 0 || numTasks < 0) {
                throw new IllegalArgumentException("stage " + stageId + " with " + numTasks + " tasks");
            }
            parentIds = List.copyOf(parentIds);
        }
    }

    record StageStateChanged(
            long timeMillis,
            int stageId,
            int attempt,
            String name,
            boolean shuffleMap,
            int numTasks,
            StageState from,
            StageState to,
            String reason)
            implements WeftEvent {}

    /**
     * {@code from} is null when the attempt is launched; {@code locality} is the level it was launched at on
     * that transition (to {@link TaskState#RUNNING}) and null on every other. {@code error} is why the attempt
     * ended without a result, and null when it is launched or succeeded.
     */
    record TaskStateChanged(
            long timeMillis,
            long taskId,
            int stageId,
            int stageAttempt,
            int partition,
            int attempt,
            String executorId,
            TaskState from,
            TaskState to,
            String reason,
            TaskMetrics metrics,
            TaskLocality locality,
            WeftError error)
            implements WeftEvent {}

    /**
     * An executor registered ({@code from} null, {@code to} {@link ExecutorState#RUNNING}) or a registered one
     * was lost ({@code to} {@link ExecutorState#LOST}, published once however often the loss is reported).
     * {@code error} is why it was lost ({@link WeftError#EXECUTOR_PREEMPTED} when YARN took its container back),
     * null on registration.
     */
    record ExecutorStateChanged(
            long timeMillis,
            String executorId,
            String host,
            ExecutorState from,
            ExecutorState to,
            WeftError error,
            String reason)
            implements WeftEvent {}

    /**
     * The backend asked its cluster manager for an executor: on {@code node} only ({@code strict}), or anywhere
     * ({@code node} null). {@code relaxedAfterWait} marks a strict request nobody filled within the strict-placement
     * wait, asked for again anywhere. {@code reason} says why that placement, in words for a log and a UI.
     */
    record ExecutorRequested(long timeMillis, String node, boolean strict, boolean relaxedAfterWait, String reason)
            implements WeftEvent {}

    /**
     * The scheduler excluded an executor or a node after repeated task failures there, or because the node's shuffle
     * service could not be reached ({@code excluded} true; no task is offered its cores until {@code untilMillis}),
     * or such an exclusion expired ({@code excluded} false, {@code untilMillis} 0). {@code target} is an executor id
     * for {@link ExclusionScope#EXECUTOR} and a host for {@link ExclusionScope#NODE}; {@code reason} says which
     * failures, in words.
     */
    record ExclusionChanged(
            long timeMillis, ExclusionScope scope, String target, boolean excluded, long untilMillis, String reason)
            implements WeftEvent {}
}
