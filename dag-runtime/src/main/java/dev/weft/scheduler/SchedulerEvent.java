package dev.weft.scheduler;

import dev.weft.error.WeftError;
import dev.weft.task.TaskOutcome;

/** Inputs to the scheduler thread. Anything that changes scheduler state arrives as one of these. */
sealed interface SchedulerEvent {
    record JobSubmitted(ActiveJob job) implements SchedulerEvent {}

    record TaskEnded(long taskId, TaskOutcome outcome) implements SchedulerEvent {}

    record ExecutorAdded(String executorId, String host, int cores) implements SchedulerEvent {}

    /** @param cause {@link WeftError#EXECUTOR_LOST}, or a RESOURCE code when its container was killed for memory */
    record ExecutorLost(String executorId, WeftError cause, String reason, boolean mapOutputsLost)
            implements SchedulerEvent {}

    record ExecutorDisconnected(String executorId, String reason) implements SchedulerEvent {}

    /** The backend asked for an executor container; published as {@link dev.weft.events.WeftEvent.ExecutorRequested}. */
    record ExecutorRequested(String node, boolean strict, boolean relaxedAfterWait, String reason)
            implements SchedulerEvent {}

    /** The backend cannot run executors at all; see {@link dev.weft.error.WeftError#EXECUTORS_UNAVAILABLE}. */
    record ExecutorsUnavailable(String reason) implements SchedulerEvent {}

    record ResubmitFailedStages() implements SchedulerEvent {}

    /** A locality wait expired: offer free cores again. Posted by the scheduler's timer. */
    record ReviveOffers() implements SchedulerEvent {}

    /** Look for slow tasks to copy (speculation). Posted by the scheduler's timer while speculation is on. */
    record CheckSpeculation() implements SchedulerEvent {}

    /** A dataset's cached partitions were dropped; stop preferring the executors that held them. */
    record DatasetUnpersisted(int nodeId) implements SchedulerEvent {}

    /** No dataset, job or stage can reach this shuffle any more ({@link ShuffleCleaner}): free its outputs. */
    record ShuffleUnreachable(int shuffleId) implements SchedulerEvent {}

    record Shutdown(String reason) implements SchedulerEvent {}
}
