package dev.weft.shuffle;

/**
 * The unsigned LEB128 varints of {@link dev.weft.serde.RecordOutput#writeVarInt}, written straight into
 * byte arrays; the shuffle frames every record as {@code [varint keyLen][key][varint valueLen][value]}.
 * Stateless.
 */
final class Varints {
    private Varints() {}

    static int size(int v) {
        if ((v & ~0x7F) == 0) {
            return 1;
        }
        if ((v & ~0x3FFF) == 0) {
            return 2;
        }
        if ((v & ~0x1FFFFF) == 0) {
            return 3;
        }
        if ((v & ~0xFFFFFFF) == 0) {
            return 4;
        }
        return 5;
    }

    /** Writes {@code v} at {@code buf[pos]} and returns the position after it. */
    static int write(byte[] buf, int pos, int v) {
        while ((v & ~0x7F) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return pos;
    }

    /** Reads a varint at {@code buf[pos]}; the caller knows the bytes are well-formed (written by us, in memory). */
    static int read(byte[] buf, int pos) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = buf[pos++];
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }
}
