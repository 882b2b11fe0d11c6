package dev.weft.scheduler;

/**
 * Stands in for a task's exception that could not be sent back as an object: keeps the original class
 * name, message and executor-side stack trace.
 */
public final class RemoteTaskException extends RuntimeException {
    private final String className;

    public RemoteTaskException(String className, String message, String remoteStackTrace) {
        super(className + (message == null ? "" : ": " + message) + "\nexecutor stack trace:\n" + remoteStackTrace);
        this.className = className;
    }

    public String className() {
        return className;
    }
}
