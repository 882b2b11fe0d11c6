package dev.weft.scheduler;

import dev.weft.error.WeftError;
import java.util.Objects;

/**
 * Stands in for a task's exception that could not be sent back as an object: keeps the error code, the
 * original class name, message and executor-side stack trace.
 */
public final class RemoteTaskException extends RuntimeException {
    private final WeftError error;
    private final String className;

    /** @param className the executor-side exception's class; null when the engine failed the task itself */
    public RemoteTaskException(WeftError error, String className, String message, String remoteStackTrace) {
        super(error.tag() + " " + (className == null ? "" : className + (message == null ? "" : ": "))
                + (message == null ? "" : message) + "\nexecutor stack trace:\n" + remoteStackTrace);
        this.error = Objects.requireNonNull(error, "error is null");
        this.className = className;
    }

    public WeftError error() {
        return error;
    }

    /** For diagnostics only; decisions read {@link #error()}. */
    public String className() {
        return className;
    }
}
