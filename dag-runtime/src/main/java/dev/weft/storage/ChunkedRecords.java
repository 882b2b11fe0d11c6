package dev.weft.storage;

import dev.weft.serde.RecordInput;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.Serializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * A file format for a sequence of serialized values: chunks of {@code [int length][int crc32c][bytes]}.
 * Used for checkpoints and disk-cached partitions; a flipped bit fails the chunk's checksum with the
 * file's name rather than producing garbage values.
 */
public final class ChunkedRecords {
    static final int CHUNK = 64 * 1024;
    private static final int MAX_CHUNK = 64 << 20;

    private ChunkedRecords() {}

    /** Writes every value of {@code records} and returns the count. Does not close {@code os}. */
    public static <T> long write(Iterator<T> records, Serializer<T> ser, OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(os);
        RecordOutput buf = new RecordOutput(CHUNK + 1024);
        long n = 0;
        while (records.hasNext()) {
            ser.write(records.next(), buf);
            n++;
            if (buf.size() >= CHUNK) {
                writeChunk(out, buf);
            }
        }
        writeChunk(out, buf);
        out.flush();
        return n;
    }

    static void writeChunk(DataOutputStream out, RecordOutput buf) throws IOException {
        if (buf.size() == 0) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.size());
        out.writeInt(buf.size());
        out.writeInt((int) crc.getValue());
        out.write(buf.array(), 0, buf.size());
        buf.reset();
    }

    /** Reads values lazily; closes {@code is} at the end. {@code name} appears in errors. */
    public static <T> Iterator<T> read(InputStream is, Serializer<T> ser, String name) {
        DataInputStream in = new DataInputStream(is);
        return new Iterator<>() {
            RecordInput chunk = new RecordInput();
            boolean eof;

            @Override
            public boolean hasNext() {
                while (chunk.remaining() == 0 && !eof) {
                    nextChunk();
                }
                return chunk.remaining() > 0;
            }

            private void nextChunk() {
                try {
                    int len;
                    try {
                        len = in.readInt();
                    } catch (EOFException e) {
                        eof = true;
                        in.close();
                        return;
                    }
                    if (len <= 0 || len > MAX_CHUNK) {
                        throw new IOException(name + " is corrupt: chunk length " + len);
                    }
                    int expected = in.readInt();
                    byte[] b = new byte[len];
                    in.readFully(b);
                    CRC32C crc = new CRC32C();
                    crc.update(b, 0, len);
                    if ((int) crc.getValue() != expected) {
                        throw new IOException(name + " is corrupt: chunk checksum mismatch");
                    }
                    chunk = new RecordInput(b);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
                }
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ser.read(chunk);
            }
        };
    }
}
