package dev.weft.shuffle.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The index file layout, version 1, all big-endian:
 * <pre>
 *   int  magic         0x57465349 ("WFSI")
 *   int  version       1
 *   int  numPartitions n
 *   long offsets[n+1]  offsets[0] = 0, never decreasing, offsets[n] = data file length
 *   int  crc32c[n]     CRC32C of each partition's bytes in the data file
 *   int  crc32c        of every byte above
 * </pre>
 * Written by map tasks, read by reducers on the same host and by the NodeManager shuffle service. Stateless and
 * thread-safe.
 */
public final class MapOutputIndexFormat {
    public static final int MAGIC = 0x57465349;
    public static final int VERSION = 1;
    private static final int HEADER_BYTES = 12;
    private static final int TRAILER_BYTES = 4;

    private MapOutputIndexFormat() {}

    /** Size in bytes of the index of {@code numPartitions} partitions. */
    public static int serializedSize(int numPartitions) {
        return HEADER_BYTES + (numPartitions + 1) * 8 + numPartitions * 4 + TRAILER_BYTES;
    }

    public static byte[] encode(PartitionIndex index) {
        int n = index.numPartitions();
        ByteBuffer b = ByteBuffer.allocate(serializedSize(n));
        b.putInt(MAGIC).putInt(VERSION).putInt(n);
        for (long offset : index.offsetsView()) {
            b.putLong(offset);
        }
        for (int checksum : index.checksumsView()) {
            b.putInt(checksum);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Parses and validates index bytes.
     *
     * @param source names the bytes in error messages (usually the file)
     * @throws IndexFormatException when the bytes are truncated, of another format or version, fail the checksum or
     *     hold inconsistent offsets
     */
    public static PartitionIndex decode(byte[] bytes, String source) throws IndexFormatException {
        if (bytes.length < serializedSize(0)) {
            throw new IndexFormatException("index " + source + " is truncated: " + bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new IndexFormatException("index " + source + " has bad magic 0x" + Integer.toHexString(magic));
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IndexFormatException("index " + source + " has unsupported version " + version);
        }
        int n = b.getInt();
        // Check n against the length before allocating anything, so a corrupt count cannot cause a huge allocation.
        if (n < 0 || n > (bytes.length - HEADER_BYTES) / 12 || bytes.length != serializedSize(n)) {
            throw new IndexFormatException(
                    "index " + source + " of " + bytes.length + " bytes cannot hold " + n + " partitions");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - TRAILER_BYTES);
        int expected = ByteBuffer.wrap(bytes, bytes.length - TRAILER_BYTES, TRAILER_BYTES)
                .getInt();
        if ((int) crc.getValue() != expected) {
            throw new IndexFormatException("index " + source + " fails its checksum");
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
            return new PartitionIndex(offsets, checksums);
        } catch (IllegalArgumentException e) {
            throw new IndexFormatException("index " + source + " is inconsistent: " + e.getMessage());
        }
    }

    /**
     * Reads and validates an index file.
     *
     * @throws NoSuchFileException when the file is missing
     * @throws IndexFormatException when its content is not a valid index
     */
    public static PartitionIndex read(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    /** Writes {@code index} to {@code file}, replacing it; callers needing atomicity write a temp file and rename. */
    public static void write(PartitionIndex index, Path file) throws IOException {
        Files.write(file, encode(index));
    }
}
