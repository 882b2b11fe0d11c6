package dev.weft.shuffle;

import dev.weft.memory.TaskMemory;
import dev.weft.metrics.TaskMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads one reduce partition of a shuffle from its map output blocks:
 * <ul>
 *   <li>NONE: the blocks' records one block after another, one block open at a time;</li>
 *   <li>GROUPED / SORTED: a k-way merge in the writer's {@link KeyOrder}; with more than
 *       {@value #MERGE_FACTOR} blocks, groups of blocks are first merged into temporary files in
 *       {@code tmpDir}, so open files and read buffers stay bounded;</li>
 *   <li>with an aggregator, records with equal key bytes are combined into one
 *       ({@link ReduceRecordStream}).</li>
 * </ul>
 * A block that cannot be opened, read or verified surfaces as {@link FetchFailedException}.
 *
 * <p>Stateless; the returned stream is used and closed by one task thread.
 */
public final class ShuffleReader {
    static final int MERGE_FACTOR = 64;
    static final int READ_BUFFER = 32 * 1024;
    private static final int MIN_READ_BUFFER = 4 * 1024;

    private ShuffleReader() {}

    public static RecordStream read(
            ShuffleSpec spec,
            int reduceId,
            List<? extends ShuffleBlockSource> blocks,
            TaskMemory taskMemory,
            TaskMetrics metrics,
            Path tmpDir) {
        Objects.requireNonNull(spec, "spec is null");
        Objects.requireNonNull(blocks, "blocks is null");
        Objects.requireNonNull(taskMemory, "taskMemory is null");
        Objects.requireNonNull(metrics, "metrics is null");
        Objects.requireNonNull(tmpDir, "tmpDir is null");
        if (reduceId < 0 || reduceId >= spec.numPartitions()) {
            throw new IllegalArgumentException("reduceId " + reduceId + " outside [0, " + spec.numPartitions() + ")");
        }
        MemoryReservation memory = new MemoryReservation(taskMemory);
        List<Path> temps = new ArrayList<>();
        try {
            KeyOrder order = new KeyOrder(spec);
            int fanIn = Math.max(1, Math.min(MERGE_FACTOR, blocks.size()));
            int bufferSize =
                    spec.ordering() == KeyOrdering.NONE ? reserveBuffers(memory, 1) : reserveBuffers(memory, fanIn);
            List<BlockRecordSource> sources = new ArrayList<>(blocks.size());
            for (ShuffleBlockSource b : blocks) {
                sources.add(new BlockRecordSource(b, spec.shuffleId(), reduceId, bufferSize, metrics));
            }
            RecordSource root;
            if (spec.ordering() == KeyOrdering.NONE) {
                root = new ConcatRecordSource(sources);
            } else {
                root = merge(sources, order, spec, tmpDir, temps, bufferSize);
            }
            return new ReduceRecordStream(spec, root, memory, temps, metrics);
        } catch (RuntimeException | Error e) {
            memory.close();
            deleteAll(temps);
            throw e;
        }
    }

    /** Reserves read buffers for {@code n} open sources, shrinking them when the budget is tight. */
    private static int reserveBuffers(MemoryReservation memory, int n) {
        for (int size = READ_BUFFER; size >= MIN_READ_BUFFER; size /= 2) {
            if (memory.tryReserve((long) size * n)) {
                return size;
            }
        }
        // Proceed with minimal buffers rather than fail the task: they are small and short-lived.
        return MIN_READ_BUFFER;
    }

    private static RecordSource merge(
            List<? extends RecordSource> sources,
            KeyOrder order,
            ShuffleSpec spec,
            Path tmpDir,
            List<Path> temps,
            int bufferSize) {
        List<RecordSource> level = new ArrayList<>(sources);
        try {
            while (level.size() > MERGE_FACTOR) {
                List<RecordSource> next = new ArrayList<>();
                for (int i = 0; i < level.size(); i += MERGE_FACTOR) {
                    List<RecordSource> group = level.subList(i, Math.min(level.size(), i + MERGE_FACTOR));
                    next.add(
                            group.size() == 1
                                    ? group.get(0)
                                    : spillMerge(group, order, spec, tmpDir, temps, bufferSize));
                }
                level = next;
            }
            for (RecordSource s : level) {
                if (s instanceof BlockRecordSource b) {
                    b.open(); // fail fast on a bad block, before the caller consumes records
                }
            }
            return level.size() == 1 ? level.get(0) : new MergingRecordSource(level, order);
        } catch (RuntimeException e) {
            closeQuietly(level, e);
            throw e;
        }
    }

    /** Merges a group of sources into one temporary file (no aggregation) and returns a source over it. */
    private static RecordSource spillMerge(
            List<RecordSource> group, KeyOrder order, ShuffleSpec spec, Path tmpDir, List<Path> temps, int bufferSize) {
        try {
            Files.createDirectories(tmpDir);
            Path file = Files.createTempFile(tmpDir, "shuffle_" + spec.shuffleId() + "_merge_", ".tmp");
            temps.add(file);
            try (MergingRecordSource merged = new MergingRecordSource(new ArrayList<>(group), order);
                    SegmentedOutput out = new SegmentedOutput(file)) {
                while (merged.next()) {
                    out.writeRecord(
                            merged.keyBuf(),
                            merged.keyOff(),
                            merged.keyLen(),
                            merged.valueBuf(),
                            merged.valueOff(),
                            merged.valueLen());
                }
            }
            return new StreamRecordSource(Files.newInputStream(file), -1, bufferSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge shuffle blocks into " + tmpDir, e);
        }
    }

    private static void closeQuietly(List<? extends RecordSource> sources, RuntimeException failure) {
        for (RecordSource s : sources) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    static void deleteAll(List<Path> files) {
        for (Path p : files) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort: the task's temp directory is removed with the task
            }
        }
        files.clear();
    }
}
