package dev.weft.shuffle.format;

import java.io.IOException;

/**
 * An index file that is truncated, of another format or version, fails its own checksum or describes inconsistent
 * offsets. The message names the file. Immutable once thrown.
 */
public final class IndexFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public IndexFormatException(String message) {
        super(message);
    }
}
