package dev.weft.events;

/**
 * Lifecycle of one executor as the scheduler sees it: registered and offering cores, possibly disconnected while its
 * cause is awaited, then gone.
 */
public enum ExecutorState {
    /** Registered; its cores are offered to tasks. */
    RUNNING,
    /**
     * Its connection to the driver closed: no task is launched onto it, and its loss, with the cause YARN reports
     * for its container, follows (a replacement has a new id).
     */
    DISCONNECTED,
    /**
     * Gone: its container ended, its connection closed, or YARN took it back (the event's error says which,
     * e.g. {@link dev.weft.error.WeftError#EXECUTOR_PREEMPTED}). Terminal: a replacement has a new id.
     */
    LOST
}
