package dev.weft.shuffle;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Parses framed records ({@code [varint keyLen][key][varint valueLen][value]}) from a stream, up to a
 * byte limit or the end of the stream. Records are exposed in place inside its own read buffer (no copy
 * per record); the buffer grows for a record larger than itself. Framing errors (a truncated record, a
 * malformed length) are {@link IOException}s, so callers report them like any other read failure.
 *
 * <p>Not thread-safe. Closes the stream when closed.
 */
final class StreamRecordSource extends RecordSource {
    private final InputStream in;
    private long remaining;
    private byte[] buf;
    private int pos;
    private int limit;
    /** Start in {@link #buf} of the current record. */
    private int start;

    private int varEnd;
    private long bytesRead;
    private long recordsRead;

    private int keyOff;
    private int keyLen;
    private int valueOff;
    private int valueLen;

    /** @param limit bytes to read from {@code in}, or -1 for all of it */
    StreamRecordSource(InputStream in, long limit, int bufferSize) {
        this.in = in;
        this.remaining = limit < 0 ? Long.MAX_VALUE : limit;
        this.buf = new byte[Math.max(64, bufferSize)];
    }

    @Override
    protected boolean advance() throws IOException {
        start = pos;
        if (start == limit) {
            compact(1);
            pos = start; // stays consistent if called again after the end
            if (!readAtLeast(1)) {
                return false;
            }
        }
        int rel = 0;
        keyLen = readLength(rel);
        rel = varEnd;
        int keyRel = rel;
        rel += keyLen;
        valueLen = readLength(rel);
        rel = varEnd;
        int valueRel = rel;
        rel += valueLen;
        if (rel < 0) {
            throw new IOException("malformed record: " + keyLen + " + " + valueLen + " bytes exceed 2 GiB");
        }
        require(rel);
        keyOff = start + keyRel;
        valueOff = start + valueRel;
        pos = start + rel;
        bytesRead += rel;
        recordsRead++;
        return true;
    }

    /** Reads the varint at record-relative {@code rel}; leaves the position after it in {@link #varEnd}. */
    private int readLength(int rel) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            require(rel + 1);
            int b = buf[start + rel++];
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (v < 0) {
                    throw new IOException("malformed record: negative length " + v);
                }
                varEnd = rel;
                return v;
            }
        }
        throw new IOException("malformed record: varint longer than 5 bytes");
    }

    /** Makes the first {@code relEnd} bytes of the current record available, or fails: the stream ends inside it. */
    private void require(int relEnd) throws IOException {
        if (limit - start >= relEnd) {
            return;
        }
        compact(relEnd);
        if (!readAtLeast(relEnd)) {
            throw new EOFException("stream ends inside a record: need " + relEnd + " bytes, " + limit + " left");
        }
    }

    /** Moves the current record to the front of the buffer, growing it to hold {@code capacity} bytes. */
    private void compact(int capacity) {
        int keep = limit - start;
        if (capacity > buf.length) {
            byte[] bigger = new byte[Math.max(capacity, (int) Math.min(Integer.MAX_VALUE - 8, buf.length * 2L))];
            System.arraycopy(buf, start, bigger, 0, keep);
            buf = bigger;
        } else if (start > 0) {
            System.arraycopy(buf, start, buf, 0, keep);
        }
        limit = keep;
        start = 0;
    }

    /** Reads until {@code limit >= n}; false if the stream (or the segment limit) ends first. */
    private boolean readAtLeast(int n) throws IOException {
        while (limit < n) {
            if (remaining == 0) {
                return false;
            }
            int r = in.read(buf, limit, (int) Math.min(buf.length - limit, remaining));
            if (r < 0) {
                if (remaining != Long.MAX_VALUE) {
                    throw new EOFException("stream ends " + remaining + " bytes before its segment does");
                }
                remaining = 0;
                return false;
            }
            limit += r;
            if (remaining != Long.MAX_VALUE) {
                remaining -= r;
            }
        }
        return true;
    }

    long bytesRead() {
        return bytesRead;
    }

    long recordsRead() {
        return recordsRead;
    }

    @Override
    byte[] keyBuf() {
        return buf;
    }

    @Override
    int keyOff() {
        return keyOff;
    }

    @Override
    int keyLen() {
        return keyLen;
    }

    @Override
    byte[] valueBuf() {
        return buf;
    }

    @Override
    int valueOff() {
        return valueOff;
    }

    @Override
    int valueLen() {
        return valueLen;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
