package dev.weft.shuffle;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A buffered file writer that cuts its output into consecutive segments (one per reduce partition) and
 * records each segment's length and CRC32C. The checksum is computed over whole buffer chunks at flush
 * time rather than per record, which keeps it off the per-record path.
 *
 * <p>Not thread-safe; owned by one writing task.
 */
final class SegmentedOutput implements Closeable {
    private static final int BUFFER = 64 * 1024;

    private final OutputStream out;
    private final byte[] buf = new byte[BUFFER];
    private final CRC32C crc = new CRC32C();
    private int pos;
    /** Start in {@code buf} of the bytes of the current segment not yet fed to {@link #crc}. */
    private int crcFrom;

    private long segmentBytes;
    private long totalBytes;
    private int lastChecksum;

    SegmentedOutput(Path file) throws IOException {
        this.out = Files.newOutputStream(file);
    }

    void write(byte[] src, int off, int len) throws IOException {
        if (len > buf.length - pos) {
            flushBuffer();
            if (len > buf.length) {
                crc.update(src, off, len);
                out.write(src, off, len);
                segmentBytes += len;
                totalBytes += len;
                return;
            }
        }
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
        segmentBytes += len;
        totalBytes += len;
    }

    /** Writes one framed record: {@code [varint keyLen][key][varint valueLen][value]}. */
    void writeRecord(byte[] k, int kOff, int kLen, byte[] v, int vOff, int vLen) throws IOException {
        int total = Varints.size(kLen) + kLen + Varints.size(vLen) + vLen;
        if (total <= buf.length - pos) {
            int p = Varints.write(buf, pos, kLen);
            System.arraycopy(k, kOff, buf, p, kLen);
            p = Varints.write(buf, p + kLen, vLen);
            System.arraycopy(v, vOff, buf, p, vLen);
            pos = p + vLen;
            segmentBytes += total;
            totalBytes += total;
            return;
        }
        byte[] len = new byte[5];
        write(len, 0, Varints.write(len, 0, kLen));
        write(k, kOff, kLen);
        write(len, 0, Varints.write(len, 0, vLen));
        write(v, vOff, vLen);
    }

    /** Ends the current segment; returns its length, and its CRC32C through {@link #lastChecksum()}. */
    long endSegment() {
        crc.update(buf, crcFrom, pos - crcFrom);
        crcFrom = pos;
        lastChecksum = (int) crc.getValue();
        crc.reset();
        long len = segmentBytes;
        segmentBytes = 0;
        return len;
    }

    int lastChecksum() {
        return lastChecksum;
    }

    long totalBytes() {
        return totalBytes;
    }

    private void flushBuffer() throws IOException {
        crc.update(buf, crcFrom, pos - crcFrom);
        out.write(buf, 0, pos);
        pos = 0;
        crcFrom = 0;
    }

    @Override
    public void close() throws IOException {
        try {
            if (pos > 0) {
                out.write(buf, 0, pos);
                pos = 0;
                crcFrom = 0;
            }
        } finally {
            out.close();
        }
    }
}
