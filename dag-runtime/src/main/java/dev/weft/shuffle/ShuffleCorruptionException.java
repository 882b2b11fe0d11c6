package dev.weft.shuffle;

import java.io.IOException;

/** A shuffle block's bytes do not match the checksum recorded when it was written. */
public class ShuffleCorruptionException extends IOException {
    public ShuffleCorruptionException(String message) {
        super(message);
    }
}
