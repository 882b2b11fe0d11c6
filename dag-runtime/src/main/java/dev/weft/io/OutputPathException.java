package dev.weft.io;

/** The output path of a save already exists. */
public final class OutputPathException extends RuntimeException {
    public OutputPathException(String message) {
        super(message);
    }
}
