package dev.weft.shuffle;

import dev.weft.shuffle.format.IndexFormatException;
import dev.weft.shuffle.format.MapOutputIndexFormat;
import dev.weft.shuffle.format.PartitionIndex;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The index of one map output: where each reduce partition's segment starts in the data file and the
 * CRC32C of its bytes. The on-disk layout lives in {@link MapOutputIndexFormat} (module shuffle-format), which the
 * NodeManager shuffle service shares; this class adapts it to the engine's exceptions.
 *
 * <p>Immutable once built (the arrays are copied in and never handed out); thread-safe.
 */
public final class MapOutputIndex {
    static final int MAGIC = MapOutputIndexFormat.MAGIC;
    static final int VERSION = MapOutputIndexFormat.VERSION;

    private final PartitionIndex index;

    public MapOutputIndex(long[] offsets, int[] checksums) {
        this(new PartitionIndex(offsets, checksums));
    }

    private MapOutputIndex(PartitionIndex index) {
        this.index = index;
    }

    /** Builds the index of a data file whose partition segments have these lengths and checksums. */
    public static MapOutputIndex fromLengths(long[] lengths, int[] checksums) {
        return new MapOutputIndex(PartitionIndex.fromLengths(lengths, checksums));
    }

    public int numPartitions() {
        return index.numPartitions();
    }

    public long offset(int partition) {
        return index.offset(partition);
    }

    public long length(int partition) {
        return index.length(partition);
    }

    public int checksum(int partition) {
        return index.checksum(partition);
    }

    /** Length of the data file this index describes. */
    public long dataLength() {
        return index.dataLength();
    }

    public byte[] toBytes() {
        return MapOutputIndexFormat.encode(index);
    }

    /**
     * Reads and validates an index file. A missing file surfaces as {@link NoSuchFileException}; a file
     * that is truncated, of another format or fails its own checksum as {@link ShuffleCorruptionException}.
     */
    public static MapOutputIndex read(Path file) throws IOException {
        try {
            return new MapOutputIndex(MapOutputIndexFormat.read(file));
        } catch (IndexFormatException e) {
            // The engine's fetch-failure handling keys on ShuffleCorruptionException; keep that contract.
            ShuffleCorruptionException corrupt = new ShuffleCorruptionException(e.getMessage());
            corrupt.initCause(e);
            throw corrupt;
        }
    }

    /** Writes this index to {@code file} (which the caller then commits atomically). */
    public void write(Path file) throws IOException {
        MapOutputIndexFormat.write(index, file);
    }
}
