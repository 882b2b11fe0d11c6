package dev.weft.io;

/** An input path does not exist or matches nothing. */
public final class InputPathException extends RuntimeException {
    public InputPathException(String message) {
        super(message);
    }
}
