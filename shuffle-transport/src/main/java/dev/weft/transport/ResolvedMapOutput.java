package dev.weft.transport;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Locale;

/**
 * One map output as a {@link BlockResolver} found it: its partitions' places in the data file, with their CRC32C,
 * and how to open that file. The index is read once per fetch request, and the data file opened once, however many
 * reduce ids the request names. Immutable.
 */
public final class ResolvedMapOutput {
    /** Opens the data file the way its resolver trusts (e.g. refusing links and files of other owners). */
    @FunctionalInterface
    public interface DataFile {
        /**
         * @return a channel the caller owns and closes
         * @throws TransportException when the file is refused; {@link IOException} when it cannot be read
         */
        FileChannel open() throws IOException;
    }

    private final long[] offsets;
    private final int[] crc32cs;
    private final DataFile dataFile;
    private final String description;

    /**
     * @param offsets where each partition starts, then where the last one ends ({@code numPartitions + 1} values,
     *     non-decreasing, from 0)
     * @param crc32cs each partition's CRC32C
     * @param description names the map output in error messages
     */
    public ResolvedMapOutput(long[] offsets, int[] crc32cs, DataFile dataFile, String description) {
        requireNonNull(offsets, "offsets is null");
        requireNonNull(crc32cs, "crc32cs is null");
        if (offsets.length != crc32cs.length + 1 || offsets[0] != 0) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "%d offsets for %d partitions, first %d",
                    offsets.length,
                    crc32cs.length,
                    offsets.length == 0 ? -1 : offsets[0]));
        }
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] < offsets[i - 1]) {
                throw new IllegalArgumentException("offsets decrease at partition " + i);
            }
        }
        this.offsets = offsets.clone();
        this.crc32cs = crc32cs.clone();
        this.dataFile = requireNonNull(dataFile, "dataFile is null");
        this.description = requireNonNull(description, "description is null");
    }

    public int numPartitions() {
        return crc32cs.length;
    }

    /** The block of one partition; {@link BlockNotFoundException#outOfRange} outside the map output. */
    public Segment segment(int reduceId) throws BlockNotFoundException {
        if (reduceId < 0 || reduceId >= crc32cs.length) {
            throw BlockNotFoundException.outOfRange(
                    description + ": reduce id " + reduceId + " outside [0, " + crc32cs.length + ")");
        }
        return new Segment(offsets[reduceId], offsets[reduceId + 1] - offsets[reduceId], crc32cs[reduceId]);
    }

    /** Bytes the data file must hold at least. */
    public long dataLength() {
        return offsets[offsets.length - 1];
    }

    public FileChannel openData() throws IOException {
        return dataFile.open();
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description + " " + Arrays.toString(offsets);
    }

    /** {@code length} bytes of the data file from {@code offset}, with their CRC32C. */
    public record Segment(long offset, long length, int crc32c) {}
}
