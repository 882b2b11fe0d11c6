package dev.weft.scheduler;

import dev.weft.error.WeftError;
import dev.weft.id.ExecutorId;
import dev.weft.id.TaskAttemptId;
import dev.weft.shuffle.BlockLocation;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;

/**
 * Where tasks run: the local thread pool now, YARN executor containers next. The task scheduler calls
 * these methods on the scheduler thread; implementations must not block it (hand launches to their own
 * threads) and report back only through the {@link Listener}, from any thread.
 *
 * <p>Lifecycle: {@link #start} once, then any number of launches and kills, then {@link #stop} once.
 */
public interface SchedulerBackend {

    /** Callbacks into the scheduler; thread-safe (each posts an event onto the scheduler's queue). */
    interface Listener {
        void executorAdded(ExecutorId executorId, String host, int cores);

        /**
         * @param cause          why, as the scheduler acts on it: {@link WeftError#EXECUTOR_LOST} re-runs its
         *                       attempts uncounted; {@link WeftError#CONTAINER_KILLED_FOR_MEMORY} counts them
         * @param mapOutputsLost whether the map output the executor wrote went with it (false when a service
         *                       outside the executor, such as the NodeManager's shuffle service, serves it)
         */
        void executorLost(ExecutorId executorId, WeftError cause, String reason, boolean mapOutputsLost);

        /** An executor lost for no more specific reason than {@link WeftError#EXECUTOR_LOST}. */
        default void executorLost(ExecutorId executorId, String reason, boolean mapOutputsLost) {
            executorLost(executorId, WeftError.EXECUTOR_LOST, reason, mapOutputsLost);
        }

        /**
         * The executor's connection closed, and its loss (with the cause that decides how its attempts count) is
         * reported later by {@link #executorLost}: no task may be launched onto it meanwhile.
         */
        void executorDisconnected(ExecutorId executorId, String reason);

        void taskEnded(TaskAttemptId taskId, TaskOutcome outcome);

        /**
         * The backend asked for an executor container (see {@link dev.weft.events.WeftEvent.ExecutorRequested});
         * published to listeners in order with every other event. Default: not observed.
         */
        default void executorRequested(String node, boolean strict, boolean relaxedAfterWait, String reason) {}

        /**
         * The backend cannot run executors at all, for good: every running job and every later one fails with
         * {@link WeftError#EXECUTORS_UNAVAILABLE} naming {@code reason}, instead of waiting for executors that will
         * not come.
         */
        void executorsUnavailable(String reason);
    }

    void start(Listener listener);

    /**
     * A job is about to be scheduled. Called on the submitting thread before the job reaches the scheduler thread,
     * so executors the backend adds or removes from here (through the {@link Listener}) are known before the job's
     * first task is offered. Must be thread-safe (programs may submit from several threads) and quick. Default:
     * nothing.
     */
    default void jobSubmitted(JobShape shape) {}

    /** Runs the attempt on the given executor, which the scheduler knows has a free core. */
    void launch(ExecutorId executorId, TaskDescription task);

    /** Asks a running attempt to stop; it then ends with {@link TaskOutcome.Killed}. */
    void kill(TaskAttemptId taskId, String reason);

    void stop();

    /** Task slots across the executors this backend plans to have (default partitions of parallelize). */
    int defaultParallelism();

    /** Drops a persisted dataset's cached partitions on every executor (unpersist). */
    void removeCachedDataset(int nodeId);

    /**
     * Deletes every map output file of a shuffle nothing can read again, on every executor (each deletes what lies in
     * its directories). Called on the scheduler thread; must not block on executors.
     */
    void removeShuffle(int shuffleId);

    /**
     * Where reducers should fetch map output that an executor reports at {@code reported}: the backend may
     * name a longer-lived server (the NodeManager's shuffle service on that node). Called on the scheduler
     * thread; must be fast and thread-safe. Default: where the executor said.
     */
    default BlockLocation servingLocation(BlockLocation reported) {
        return reported;
    }

    /**
     * The scheduler excluded this executor after repeated task failures ({@link ExclusionPolicy}): no task is offered
     * its cores until the exclusion expires. A backend that can should give its resources back and start a replacement
     * elsewhere ({@link #replacesExcludedExecutors()}). Called on the scheduler thread; must not block. Default: the
     * executor stays, idle.
     */
    default void executorExcluded(ExecutorId executorId, String reason) {}

    /**
     * The scheduler excluded a node ({@code excluded} true) or its exclusion expired: new executors should not (or may
     * again) be placed there. Called on the scheduler thread; must not block. Default: nothing.
     */
    default void nodeExclusionChanged(String host, boolean excluded, String reason) {}

    /**
     * Whether an excluded executor is replaced by a new one, so that excluding even the last executor leaves the
     * program a way on. When false, the scheduler does not exclude an executor or node that would leave it no
     * executor to offer tasks to. Default: false.
     */
    default boolean replacesExcludedExecutors() {
        return false;
    }

    /**
     * The hosts this backend could run executors on (on YARN, the running NodeManagers), for the rule that exclusions
     * never cover the whole cluster; empty when unknown, then the hosts of registered executors count. Called on the
     * scheduler thread; must be fast and thread-safe.
     */
    default java.util.Set<String> clusterHosts() {
        return java.util.Set.of();
    }

    /**
     * The racks of the hosts executors run on, for RACK_LOCAL scheduling. Called once, on the constructing
     * thread, before {@link #start}; the result is then used on the scheduler thread. Default: one rack.
     */
    /** The cluster's id of the driver's application (a YARN application id), or empty when there is none. */
    default String applicationId() {
        return "";
    }

    /** Which attempt at its application the driver is (1 unless the cluster restarted it). */
    default int driverAttempt() {
        return 1;
    }

    /** What this driver keeps of finished work for a restarted driver, and what earlier attempts kept. */
    default DriverJournal journal() {
        return DriverJournal.NONE;
    }

    default HostTopology hostTopology() {
        return HostTopology.FLAT;
    }
}
