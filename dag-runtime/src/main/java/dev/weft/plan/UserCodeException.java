package dev.weft.plan;

/** Wraps a checked exception thrown by user code (a function passed to a transformation). */
public final class UserCodeException extends RuntimeException {
    public UserCodeException(Throwable cause) {
        super(cause.toString(), cause);
    }
}
