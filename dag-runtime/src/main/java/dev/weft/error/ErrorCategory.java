package dev.weft.error;

/**
 * Whose fault a {@link WeftError} is, which decides what the scheduler does about it. The scheduler reads
 * the category (and {@link WeftError#isRetriable()}) and never the exception behind it.
 */
public enum ErrorCategory {
    /** The job's own code or data shape: a function threw, a value cannot be serialized. */
    USER,
    /** The cluster failed the attempt (an executor went away, a task was killed); not the task's fault. */
    INFRASTRUCTURE,
    /** The attempt needed more of a resource than it had (memory). */
    RESOURCE,
    /** Shuffle data the attempt read is gone or damaged; the map output that produced it is re-run. */
    DATA,
    /** A bug or an unexpected state in the engine itself. */
    INTERNAL
}
