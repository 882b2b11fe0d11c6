package dev.weft.shuffle;

import java.util.Objects;

/**
 * One byte per block: 0 for an empty block, otherwise the smallest {@code b} in 1..255 with
 * {@code ceil(1.1^b) >= length} (Spark's CompressedMapStatus uses the same log base). The estimate is never
 * below the real length and less than {@code 1.1 × length + 1}, for lengths up to {@link #MAX_ENCODED_LENGTH}
 * (about 33.6 GiB); longer blocks are estimated at that maximum.
 *
 * <p>Immutable: the array is copied in and never handed out.
 *
 * @param encoded one byte per block, as described above
 */
record LogScaleBlockSizes(byte[] encoded) implements BlockSizes {
    private static final double LOG_BASE = 1.1;
    /** Decoded lengths of every byte value; index 0 is an empty block. */
    private static final long[] DECODED = new long[256];

    static {
        for (int b = 1; b < DECODED.length; b++) {
            DECODED[b] = (long) Math.ceil(Math.pow(LOG_BASE, b));
        }
    }

    /** The longest length estimated without loss of the error bound. */
    static final long MAX_ENCODED_LENGTH = DECODED[255];

    LogScaleBlockSizes {
        encoded = Objects.requireNonNull(encoded, "encoded is null").clone();
    }

    static LogScaleBlockSizes of(long[] lengths) {
        byte[] out = new byte[lengths.length];
        for (int i = 0; i < lengths.length; i++) {
            out[i] = (byte) encode(lengths[i]);
        }
        return new LogScaleBlockSizes(out);
    }

    /** The smallest code whose decoded length covers {@code length}; 0 only for 0. */
    static int encode(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0: " + length);
        }
        if (length == 0) {
            return 0;
        }
        if (length >= MAX_ENCODED_LENGTH) {
            return 255;
        }
        // The logarithm gives the code to within one; integer comparisons with the table make it exact.
        int b = (int) Math.max(1, Math.min(255, Math.ceil(Math.log(length) / Math.log(LOG_BASE))));
        while (b > 1 && DECODED[b - 1] >= length) {
            b--;
        }
        while (DECODED[b] < length) {
            b++;
        }
        return b;
    }

    static long decode(int code) {
        return DECODED[code & 0xff];
    }

    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public int numBlocks() {
        return encoded.length;
    }

    @Override
    public boolean isEmpty(int reduceId) {
        return encoded[reduceId] == 0;
    }

    @Override
    public long estimatedLength(int reduceId) {
        return decode(encoded[reduceId]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogScaleBlockSizes other && java.util.Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "LogScaleBlockSizes[" + encoded.length + " blocks]";
    }
}
