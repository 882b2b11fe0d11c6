package dev.weft.serde;

import java.util.Arrays;

/**
 * A growable byte buffer that serializers write into. Multi-byte numbers are big-endian so that
 * fixed-width encodings compare correctly as unsigned bytes.
 *
 * <p>Not thread-safe: one writer per instance, usually one per task.
 */
public final class RecordOutput {
    private byte[] buf;
    private int pos;

    public RecordOutput(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initialCapacity must be >= 0: " + initialCapacity);
        }
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    public RecordOutput() {
        this(256);
    }

    /** Bytes written since the last {@link #reset()}. */
    public int size() {
        return pos;
    }

    /** The backing array; valid bytes are {@code [0, size())}. Invalidated by the next write. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    public void reset() {
        pos = 0;
    }

    /** Drops everything written after {@code size}; used to undo a partial write. */
    public void truncate(int size) {
        if (size < 0 || size > pos) {
            throw new IllegalArgumentException("truncate to " + size + " outside [0, " + pos + "]");
        }
        pos = size;
    }

    private void ensure(int extra) {
        int need = pos + extra;
        if (need < 0) {
            throw new IllegalStateException("record buffer exceeds 2 GiB");
        }
        if (need > buf.length) {
            int cap = Math.max(need, buf.length < (1 << 30) ? buf.length * 2 : Integer.MAX_VALUE - 8);
            buf = Arrays.copyOf(buf, cap);
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    public void writeBytes(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, buf, pos, len);
        pos += len;
    }

    public void writeBytes(byte[] src) {
        writeBytes(src, 0, src.length);
    }

    public void writeInt(int v) {
        ensure(4);
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
        pos += 4;
    }

    public void writeLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[pos + i] = (byte) v;
            v >>>= 8;
        }
        pos += 8;
    }

    /** Unsigned LEB128; not order-preserving, used for lengths and counts. */
    public void writeVarInt(int v) {
        ensure(5);
        while ((v & ~0x7F) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    /**
     * Writes {@code s} in Java's modified UTF-8 (U+0000 becomes C0 80, so no zero byte appears)
     * followed by a 0 terminator. The result is self-delimiting and its unsigned byte order equals
     * {@link String#compareTo} for strings without U+0000.
     */
    public void writeTerminatedString(String s) {
        int n = s.length();
        ensure(n + 1);
        int p = pos;
        int i = 0;
        // ASCII fast path: one byte per char.
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || c >= 0x80) {
                break;
            }
            buf[p++] = (byte) c;
        }
        if (i < n) {
            pos = p;
            ensure((n - i) * 3 + 1);
            p = pos;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c != 0 && c < 0x80) {
                    buf[p++] = (byte) c;
                } else if (c < 0x800) {
                    buf[p++] = (byte) (0xC0 | (c >> 6));
                    buf[p++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    buf[p++] = (byte) (0xE0 | (c >> 12));
                    buf[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[p++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }
        buf[p++] = 0;
        pos = p;
    }
}
