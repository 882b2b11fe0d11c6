package dev.weft.transport.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a client puts fetched blocks too large to hold in heap: a block longer than {@code thresholdBytes} streams
 * into a file of its own under {@code dir} as it arrives (checksummed on the way) and is read back from there, so a
 * reduce task with many large blocks in flight holds their bytes on disk, not on the heap. The file is deleted when
 * its stream is closed, or when the fetch fails or is abandoned. Immutable.
 *
 * @param dir            a local directory (created when first needed); null for {@link #IN_MEMORY}
 * @param thresholdBytes blocks longer than this go to disk
 */
public record BlockDownloads(Path dir, long thresholdBytes) {
    /** Like Spark's spark.network.maxRemoteBlockSizeFetchToMem, but lower: executors' heaps here are small. */
    public static final long DEFAULT_THRESHOLD_BYTES = 64L << 20;

    /** Every block is held in heap (up to {@code TransportConfig.maxInMemoryBlockBytes}). */
    public static final BlockDownloads IN_MEMORY = new BlockDownloads(null, Long.MAX_VALUE);

    public BlockDownloads {
        if (thresholdBytes < 0) {
            throw new IllegalArgumentException("thresholdBytes is negative: " + thresholdBytes);
        }
        if (dir == null && thresholdBytes != Long.MAX_VALUE) {
            throw new IllegalArgumentException("a download threshold needs a directory");
        }
    }

    /** Blocks longer than {@link #DEFAULT_THRESHOLD_BYTES} go to files under {@code dir}. */
    public static BlockDownloads under(Path dir) {
        return new BlockDownloads(dir, DEFAULT_THRESHOLD_BYTES);
    }

    boolean toDisk(long length) {
        return dir != null && length > thresholdBytes;
    }

    Path newFile() throws IOException {
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "fetched-", ".block");
    }
}
