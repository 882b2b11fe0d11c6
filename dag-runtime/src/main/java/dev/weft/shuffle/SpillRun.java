package dev.weft.shuffle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sorted run spilled to a temporary file: the partitions' segments back to back, their lengths kept in
 * memory. Read sequentially through one open file, partition after partition. Closing deletes the file.
 *
 * <p>Not thread-safe; owned by the map task that spilled it.
 */
final class SpillRun implements SortedRun {
    private static final int READ_BUFFER = 32 * 1024;

    private final Path file;
    private final long[] lengths;
    private InputStream in;
    private int nextPartition;

    SpillRun(Path file, long[] lengths) {
        this.file = file;
        this.lengths = lengths.clone();
    }

    long bytes() {
        long sum = 0;
        for (long l : lengths) {
            sum += l;
        }
        return sum;
    }

    @Override
    public boolean isEmpty(int partition) {
        return lengths[partition] == 0;
    }

    @Override
    public RecordSource partition(int partition) throws IOException {
        if (partition < nextPartition) {
            throw new IllegalStateException("partition " + partition + " requested after " + (nextPartition - 1));
        }
        if (in == null) {
            in = Files.newInputStream(file);
        }
        // skip partitions the caller did not ask for
        for (; nextPartition < partition; nextPartition++) {
            in.skipNBytes(lengths[nextPartition]);
        }
        nextPartition = partition + 1;
        InputStream segment = new FilterInputStream(in) {
            @Override
            public void close() {
                // the file stays open for the next partition; SpillRun.close() closes it
            }
        };
        return new StreamRecordSource(
                segment, lengths[partition], (int) Math.min(READ_BUFFER, Math.max(64, lengths[partition])));
    }

    @Override
    public void close() throws IOException {
        try {
            if (in != null) {
                in.close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
