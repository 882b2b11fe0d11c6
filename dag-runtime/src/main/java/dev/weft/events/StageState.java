package dev.weft.events;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a stage. A stage that lost map output or hit a fetch failure goes back to WAITING and
 * runs again as a new attempt for its missing partitions only.
 */
public enum StageState {
    /** Known to a job, not yet submitted. */
    CREATED,
    /** Waiting for parent stages to produce their output. */
    WAITING,
    /** Tasks of the current attempt are queued or running. */
    RUNNING,
    /** Every partition's output is available. */
    SUCCEEDED,
    /** The current attempt hit a fetch failure; it will be resubmitted. */
    FAILED,
    /** Given up: a task exhausted its attempts, the stage failed too often, or its job failed. */
    ABORTED;

    public Set<StageState> next() {
        switch (this) {
            case CREATED:
                return EnumSet.of(WAITING, RUNNING, SUCCEEDED, ABORTED);
            case WAITING:
                return EnumSet.of(RUNNING, SUCCEEDED, ABORTED);
            case RUNNING:
                return EnumSet.of(SUCCEEDED, FAILED, ABORTED, WAITING);
            case SUCCEEDED:
                // a later job may find outputs lost and run the stage again
                return EnumSet.of(WAITING, RUNNING);
            case FAILED:
                return EnumSet.of(WAITING, RUNNING, ABORTED, SUCCEEDED);
            case ABORTED:
                // a later job may run a stage that an earlier, failed job aborted
                return EnumSet.of(WAITING, RUNNING, SUCCEEDED);
            default:
                throw new AssertionError(this);
        }
    }
}
