package dev.weft.hdfs.rows;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A stream over another that a format's writer may close: closing flushes and leaves the underlying stream open, for
 * the committer that opened it to close. Not thread-safe (one writer).
 */
final class NonClosingOutputStream extends OutputStream {
    private final OutputStream out;

    NonClosingOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
