package dev.weft.serde;

/**
 * Reads values from a slice of a byte array. Reading past the slice throws
 * {@link SerializationException}, never an {@link ArrayIndexOutOfBoundsException}.
 *
 * <p>Not thread-safe; reusable through {@link #reset(byte[], int, int)}.
 */
public final class RecordInput {
    private byte[] buf;
    private int pos;
    private int limit;

    public RecordInput() {
        this(new byte[0], 0, 0);
    }

    public RecordInput(byte[] buf, int off, int len) {
        reset(buf, off, len);
    }

    public RecordInput(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public RecordInput reset(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new IllegalArgumentException(
                    "slice [" + off + ", " + (off + len) + ") outside array of " + buf.length);
        }
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
        return this;
    }

    public int remaining() {
        return limit - pos;
    }

    public int position() {
        return pos;
    }

    public byte[] array() {
        return buf;
    }

    private void need(int n) {
        if (n < 0 || limit - pos < n) {
            throw new SerializationException("truncated record: need " + n + " bytes, " + (limit - pos) + " left");
        }
    }

    public int readUnsignedByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public void readFully(byte[] dst, int off, int len) {
        need(len);
        System.arraycopy(buf, pos, dst, off, len);
        pos += len;
    }

    public void skip(int n) {
        need(n);
        pos += n;
    }

    public int readInt() {
        need(4);
        int v = ((buf[pos] & 0xFF) << 24)
                | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long readLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    public int readVarInt() {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new SerializationException("malformed varint");
    }

    /** Reads a string written by {@link RecordOutput#writeTerminatedString(String)}. */
    public String readTerminatedString() {
        int start = pos;
        int end = start;
        boolean ascii = true;
        while (true) {
            if (end >= limit) {
                throw new SerializationException("unterminated string");
            }
            byte b = buf[end];
            if (b == 0) {
                break;
            }
            if (b < 0) {
                ascii = false;
            }
            end++;
        }
        pos = end + 1;
        if (ascii) {
            return new String(buf, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        char[] out = new char[end - start];
        int n = 0;
        int i = start;
        while (i < end) {
            int b = buf[i] & 0xFF;
            if (b < 0x80) {
                out[n++] = (char) b;
                i++;
            } else if ((b & 0xE0) == 0xC0 && i + 1 < end) {
                out[n++] = (char) (((b & 0x1F) << 6) | (buf[i + 1] & 0x3F));
                i += 2;
            } else if ((b & 0xF0) == 0xE0 && i + 2 < end) {
                out[n++] = (char) (((b & 0x0F) << 12) | ((buf[i + 1] & 0x3F) << 6) | (buf[i + 2] & 0x3F));
                i += 3;
            } else {
                throw new SerializationException("malformed modified UTF-8 at byte " + (i - start));
            }
        }
        return new String(out, 0, n);
    }
}
