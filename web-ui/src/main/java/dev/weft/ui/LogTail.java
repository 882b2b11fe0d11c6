package dev.weft.ui;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a log file from a byte offset on, for {@code api/v1/driver-log?from=N}: what a client following the driver
 * ({@code weft.client.follow}) polls. Answers whole lines only (up to {@value #MAX_BYTES} bytes), so a line is never
 * printed in two halves; the next offset is the offset plus the answer's length in bytes.
 *
 * <p>Thread-safe: every call opens the file anew.
 */
final class LogTail {
    static final int MAX_BYTES = 1 << 20;

    private final Path file;

    LogTail(Path file) {
        this.file = file;
    }

    /** The whole lines from {@code from} on; empty at the end, or when the file is shorter (a rolled log). */
    String from(long from) throws IOException {
        if (from < 0 || !Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (from >= length) {
                return "";
            }
            byte[] buf = new byte[(int) Math.min(MAX_BYTES, length - from)];
            f.seek(from);
            f.readFully(buf);
            int end = buf.length;
            while (end > 0 && buf[end - 1] != '\n') {
                end--;
            }
            return new String(buf, 0, end, StandardCharsets.UTF_8);
        }
    }
}
