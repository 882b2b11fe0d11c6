package dev.weft.scheduler;

/** An action failed; the message names the job, the stage, the task and the cause. */
public final class JobFailedException extends RuntimeException {
    public JobFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
