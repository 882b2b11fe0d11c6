package dev.weft.executor;

/** How the executor process ends; YARN reports the number as the container's exit status. */
public enum ExitCode {
    /** The driver sent Shutdown. */
    SHUTDOWN(0),
    /** A bug or an environment problem (e.g. the local dirs cannot be created). */
    INTERNAL_ERROR(1),
    /** Arguments or environment variables are missing or malformed. */
    BAD_ARGUMENTS(2),
    /** The driver could not be reached, or its connection closed before Shutdown. */
    DRIVER_LOST(3),
    /** The handshake failed: wrong secret or protocol version. */
    AUTH_FAILED(4),
    /** The driver refused the registration (e.g. duplicate executor id). */
    REGISTRATION_REFUSED(5),
    /**
     * A thread outside any task ran out of heap ({@link OutOfMemoryError}); the JVM is in an unknown state and stops.
     * The driver reads this number as "out of Java heap", distinct from YARN's memory-limit kills and from signals.
     */
    OUT_OF_MEMORY(52);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
