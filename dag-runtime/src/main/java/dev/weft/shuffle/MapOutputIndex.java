package dev.weft.shuffle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The index of one map output: where each reduce partition's segment starts in the data file and the
 * CRC32C of its bytes. On disk (big-endian): magic {@code "WFSI"}, version, numPartitions, then
 * numPartitions+1 long offsets, numPartitions int checksums, and finally the CRC32C of all bytes before it.
 *
 * <p>Immutable once built (the arrays are copied in and never handed out); thread-safe.
 */
public final class MapOutputIndex {
    static final int MAGIC = 0x57465349; // "WFSI"
    static final int VERSION = 1;
    private static final int HEADER = 12;

    private final long[] offsets;
    private final int[] checksums;

    public MapOutputIndex(long[] offsets, int[] checksums) {
        Objects.requireNonNull(offsets, "offsets is null");
        Objects.requireNonNull(checksums, "checksums is null");
        if (offsets.length != checksums.length + 1) {
            throw new IllegalArgumentException(offsets.length + " offsets for " + checksums.length + " partitions");
        }
        if (offsets[0] != 0) {
            throw new IllegalArgumentException("first offset must be 0: " + offsets[0]);
        }
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] < offsets[i - 1]) {
                throw new IllegalArgumentException("offsets decrease at partition " + (i - 1) + ": " + offsets[i - 1] + " > " + offsets[i]);
            }
        }
        this.offsets = offsets.clone();
        this.checksums = checksums.clone();
    }

    /** Builds the index of a data file whose partition segments have these lengths and checksums. */
    public static MapOutputIndex fromLengths(long[] lengths, int[] checksums) {
        long[] offsets = new long[lengths.length + 1];
        for (int i = 0; i < lengths.length; i++) {
            offsets[i + 1] = offsets[i] + lengths[i];
        }
        return new MapOutputIndex(offsets, checksums);
    }

    public int numPartitions() {
        return checksums.length;
    }

    public long offset(int partition) {
        return offsets[checkPartition(partition)];
    }

    public long length(int partition) {
        return offsets[checkPartition(partition) + 1] - offsets[partition];
    }

    public int checksum(int partition) {
        return checksums[checkPartition(partition)];
    }

    /** Length of the data file this index describes. */
    public long dataLength() {
        return offsets[offsets.length - 1];
    }

    public byte[] toBytes() {
        int n = checksums.length;
        ByteBuffer b = ByteBuffer.allocate(serializedSize(n));
        b.putInt(MAGIC).putInt(VERSION).putInt(n);
        for (long o : offsets) {
            b.putLong(o);
        }
        for (int c : checksums) {
            b.putInt(c);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Reads and validates an index file. A missing file surfaces as {@link NoSuchFileException}; a file
     * that is truncated, of another format or fails its own checksum as {@link ShuffleCorruptionException}.
     */
    public static MapOutputIndex read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < HEADER + 12) {
            throw new ShuffleCorruptionException("index " + file + " is truncated: " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new ShuffleCorruptionException("index " + file + " has bad magic 0x" + Integer.toHexString(magic));
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new ShuffleCorruptionException("index " + file + " has unsupported version " + version);
        }
        int n = b.getInt();
        if (n < 0 || n > (bytes.length - HEADER) / 12 || bytes.length != serializedSize(n)) {
            throw new ShuffleCorruptionException("index " + file + " of " + bytes.length + " bytes cannot hold " + n + " partitions");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int expected = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if ((int) crc.getValue() != expected) {
            throw new ShuffleCorruptionException("index " + file + " fails its checksum");
        }
        long[] offsets = new long[n + 1];
        for (int i = 0; i <= n; i++) {
            offsets[i] = b.getLong();
        }
        int[] checksums = new int[n];
        for (int i = 0; i < n; i++) {
            checksums[i] = b.getInt();
        }
        try {
            return new MapOutputIndex(offsets, checksums);
        } catch (IllegalArgumentException e) {
            throw new ShuffleCorruptionException("index " + file + " is inconsistent: " + e.getMessage());
        }
    }

    /** Writes this index to {@code file} (which the caller then commits atomically). */
    public void write(Path file) throws IOException {
        Files.write(file, toBytes());
    }

    private static int serializedSize(int n) {
        return HEADER + (n + 1) * 8 + n * 4 + 4;
    }

    private int checkPartition(int p) {
        if (p < 0 || p >= checksums.length) {
            throw new IndexOutOfBoundsException("partition " + p + " outside [0, " + checksums.length + ")");
        }
        return p;
    }
}
