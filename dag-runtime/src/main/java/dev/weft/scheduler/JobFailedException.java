package dev.weft.scheduler;

import dev.weft.error.WeftError;
import java.util.Objects;

/**
 * An action failed. The message starts with the error code and names the job, the stage, the task and the
 * cause; {@link #error()} gives the code itself, so callers and tests branch on it rather than on the text.
 */
public final class JobFailedException extends RuntimeException {
    private final WeftError error;
    private final String detail;

    /** @param detail what failed, without the code (the message prefixes it) */
    public JobFailedException(WeftError error, String detail, Throwable cause) {
        super(Objects.requireNonNull(error, "error is null").tag() + " " + detail, cause);
        this.error = error;
        this.detail = detail;
    }

    /** The same failure thrown again on the caller's thread, so its stack shows where the action was called. */
    JobFailedException rethrown() {
        return new JobFailedException(error, detail, getCause());
    }

    /** Why the job failed: the code of the task failure (or planning or cancellation) that ended it. */
    public WeftError error() {
        return error;
    }
}
