package dev.weft.transport;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Locale;

/** A block's bytes: {@code length} bytes of {@code file} starting at {@code offset}, with their CRC32C. */
public record FileSegment(Path file, long offset, long length, int crc32c) {
    public FileSegment {
        requireNonNull(file, "file is null");
        if (offset < 0 || length < 0 || offset + length < 0) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "bad segment offset=%d length=%d", offset, length));
        }
    }
}
