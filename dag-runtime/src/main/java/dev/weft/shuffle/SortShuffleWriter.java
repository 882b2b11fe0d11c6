package dev.weft.shuffle;

import dev.weft.core.Pair;
import dev.weft.memory.MemoryBudget;
import dev.weft.memory.TaskMemory;
import dev.weft.metrics.TaskMetrics;
import dev.weft.serde.RecordOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes one map task's output of a shuffle: one data file with a segment per reduce partition, sorted as
 * {@link ShuffleSpec#ordering()} asks, and its {@link MapOutputIndex}.
 *
 * <p>Records are serialized once into budget-charged pages ({@link RecordBuffer}) and sorted as pointers
 * ({@link EntrySorter}); with map-side combining they go through a {@link CombineMap} instead. Whenever the
 * task's share of the {@link MemoryBudget} refuses more memory the buffer (or map) is sorted and spilled to
 * a {@link SpillRun}; at the end all runs are merged ({@link RunMerger}) into the final file, which appears
 * atomically. A record for which no memory can be had even after spilling (larger than the task's share, or
 * the whole budget) is written through: it becomes a spill run of its own, so no budget fails a task.
 * Every byte taken from the budget is returned and every temporary file deleted, on success and failure.
 *
 * <p>Not thread-safe: one instance per map task attempt, {@link #write} called once.
 */
public final class SortShuffleWriter {
    /** Spilled runs merged at once; more are first merged into one run so open files stay bounded. */
    static final int MERGE_FACTOR = 64;

    private static final int MIN_PAGE_SIZE = 4 * 1024;

    private final ShuffleSpec spec;
    private final int mapId;
    private final long attemptId;
    private final ShuffleFiles files;
    private final TaskMemory taskMemory;
    private final TaskMetrics metrics;
    private final KeyOrder order;
    private final int pageSize;
    private final boolean combine;
    private final List<SpillRun> spills = new ArrayList<>();
    private final List<Path> temps = new ArrayList<>();
    private boolean used;

    public SortShuffleWriter(
            ShuffleSpec spec,
            int mapId,
            long attemptId,
            ShuffleFiles files,
            TaskMemory taskMemory,
            TaskMetrics metrics) {
        this.spec = Objects.requireNonNull(spec, "spec is null");
        this.files = Objects.requireNonNull(files, "files is null");
        this.taskMemory = Objects.requireNonNull(taskMemory, "taskMemory is null");
        this.metrics = Objects.requireNonNull(metrics, "metrics is null");
        if (mapId < 0) {
            throw new IllegalArgumentException("mapId must be >= 0: " + mapId);
        }
        if (spec.numPartitions() > RecordBuffer.MAX_PARTITIONS) {
            throw new IllegalArgumentException(
                    "at most " + RecordBuffer.MAX_PARTITIONS + " partitions: " + spec.numPartitions());
        }
        this.mapId = mapId;
        this.attemptId = attemptId;
        this.order = new KeyOrder(spec);
        this.combine = spec.aggregator() != null && spec.mapSideCombine();
        // Small budgets get small pages, so that a budget still holds several of them.
        long fitting = Long.highestOneBit(Math.max(1, taskMemory.budget().capacity() / 16));
        this.pageSize = (int) Math.max(MIN_PAGE_SIZE, Math.min(RecordBuffer.MAX_PAGE_SIZE, fitting));
    }

    /**
     * Consumes {@code records} and commits the map output.
     *
     * @return the byte length of each reduce partition's segment (0 for an empty partition)
     */
    public long[] write(Iterator<? extends Pair<?, ?>> records) throws IOException {
        if (used) {
            throw new IllegalStateException("write() already called");
        }
        used = true;
        MemoryReservation memory = new MemoryReservation(taskMemory);
        long[] lengths;
        try (memory) {
            RecordBuffer last = combine ? combineAll(records, memory) : bufferAll(records, memory);
            try (last) {
                List<SortedRun> runs = new ArrayList<>(spills);
                runs.add(new BufferRun(last, EntrySorter.sort(last, spec.numPartitions(), order)));
                lengths = commit(runs);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                cleanUp();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            metrics.peakMemoryBytes = Math.max(metrics.peakMemoryBytes, memory.peak());
        }
        cleanUp();
        return lengths;
    }

    /** The partitions with no bytes in a map output, as the map status records them. */
    public static RoaringBitmap emptyPartitions(long[] partitionLengths) {
        RoaringBitmap empty = new RoaringBitmap();
        for (int p = 0; p < partitionLengths.length; p++) {
            if (partitionLengths[p] == 0) {
                empty.add(p);
            }
        }
        return empty;
    }

    /** Buffers serialized records, spilling when memory runs out; returns the unspilled rest. */
    private RecordBuffer bufferAll(Iterator<? extends Pair<?, ?>> records, MemoryReservation memory)
            throws IOException {
        RecordBuffer buffer = new RecordBuffer(memory, pageSize);
        try {
            RecordOutput keyOut = new RecordOutput();
            RecordOutput valueOut = new RecordOutput();
            boolean checkOrder = spec.ordering() == KeyOrdering.SORTED && order.bytesSufficeForOrderPreserving();
            while (records.hasNext()) {
                Pair<?, ?> r = records.next();
                keyOut.reset();
                spec.keySerializer().write(r.key(), keyOut);
                valueOut.reset();
                spec.valueSerializer().write(r.value(), valueOut);
                int p = partition(r.key());
                boolean op = checkOrder && spec.keySerializer().orderPreserving(keyOut.array(), 0, keyOut.size());
                if (!buffer.append(p, keyOut.array(), keyOut.size(), valueOut.array(), valueOut.size(), op)) {
                    if (!buffer.isEmpty()) {
                        metrics.peakMemoryBytes = Math.max(metrics.peakMemoryBytes, memory.peak());
                        spill(buffer, false);
                        buffer.clear();
                    }
                    if (!buffer.append(p, keyOut.array(), keyOut.size(), valueOut.array(), valueOut.size(), op)) {
                        writeThrough(p, keyOut, valueOut, op);
                    }
                }
            }
            return buffer;
        } catch (IOException | RuntimeException | Error e) {
            buffer.close();
            throw e;
        }
    }

    /**
     * Writes one record as a spill run of its own, for a record that the budget cannot hold even after this
     * task spilled. Its page is heap outside the budget, briefly: the serialized record is on the heap anyway.
     */
    private void writeThrough(int partition, RecordOutput key, RecordOutput value, boolean keyOrderPreserving)
            throws IOException {
        try (RecordBuffer alone = new RecordBuffer(MemoryReservation.unbudgeted(), MIN_PAGE_SIZE)) {
            alone.append(partition, key.array(), key.size(), value.array(), value.size(), keyOrderPreserving);
            spill(alone, false);
        }
    }

    /** Combines records in a {@link CombineMap}, spilling it when memory runs out; returns the rest, serialized. */
    private RecordBuffer combineAll(Iterator<? extends Pair<?, ?>> records, MemoryReservation memory)
            throws IOException {
        CombineMap map = new CombineMap(spec);
        long chunk = Math.max(
                pageSize,
                Math.min(RecordBuffer.MAX_PAGE_SIZE, taskMemory.budget().capacity() / 16));
        long checks = 0;
        while (records.hasNext()) {
            Pair<?, ?> r = records.next();
            map.insert(r.key(), r.value());
            if ((++checks & 15) != 0) {
                continue;
            }
            long estimate = map.estimatedBytes();
            if (estimate > memory.held() && !memory.tryReserve(Math.max(chunk, estimate - memory.held()))) {
                metrics.peakMemoryBytes = Math.max(metrics.peakMemoryBytes, memory.peak());
                try (RecordBuffer serialized = serialize(map)) {
                    spill(serialized, true);
                }
                map.clear();
                memory.release(memory.held());
            }
        }
        try {
            return serialize(map);
        } finally {
            map.clear();
            memory.release(memory.held());
        }
    }

    /**
     * The map's entries as a buffer, for sorting. Its pages are transient heap outside the budget: the
     * map's own (larger) reservation still covers the data until the caller releases it.
     */
    private RecordBuffer serialize(CombineMap map) {
        RecordBuffer buffer = new RecordBuffer(MemoryReservation.unbudgeted(), RecordBuffer.MAX_PAGE_SIZE);
        RecordOutput keyOut = new RecordOutput();
        RecordOutput valueOut = new RecordOutput();
        boolean checkOrder = spec.ordering() == KeyOrdering.SORTED && order.bytesSufficeForOrderPreserving();
        for (Map.Entry<Object, Object> e : map.entries()) {
            keyOut.reset();
            spec.keySerializer().write(e.getKey(), keyOut);
            valueOut.reset();
            spec.valueSerializer().write(e.getValue(), valueOut);
            boolean op = checkOrder && spec.keySerializer().orderPreserving(keyOut.array(), 0, keyOut.size());
            buffer.append(partition(e.getKey()), keyOut.array(), keyOut.size(), valueOut.array(), valueOut.size(), op);
        }
        return buffer;
    }

    private int partition(Object key) {
        int p = spec.partitioner().partition(key);
        if (p < 0 || p >= spec.numPartitions()) {
            throw new IllegalStateException("partitioner " + spec.partitioner() + " returned " + p + " outside [0, "
                    + spec.numPartitions() + ") for a key of "
                    + (key == null ? "null" : key.getClass().getName()));
        }
        return p;
    }

    /** Sorts {@code buffer} and writes it as a new spill run; merges runs when there are too many. */
    private void spill(RecordBuffer buffer, boolean combined) throws IOException {
        BufferRun run = new BufferRun(buffer, EntrySorter.sort(buffer, spec.numPartitions(), order));
        SpillRun spilled = writeRun(List.of(run), combined);
        metrics.spillCount++;
        metrics.spillBytes += spilled.bytes();
        if (spills.size() >= MERGE_FACTOR) {
            List<SpillRun> merging = new ArrayList<>(spills);
            SpillRun merged = writeRun(merging, combine);
            spills.clear();
            spills.add(merged);
            for (SpillRun r : merging) {
                r.close();
            }
        }
    }

    private SpillRun writeRun(List<? extends SortedRun> runs, boolean combined) throws IOException {
        Path file = files.newTempFile(spec.shuffleId(), mapId, "spill");
        temps.add(file);
        RunMerger.Result result;
        try (SegmentedOutput out = new SegmentedOutput(file)) {
            result = new RunMerger(spec, order, combined).merge(runs, out);
        }
        SpillRun run = new SpillRun(file, result.lengths());
        spills.add(run);
        return run;
    }

    private long[] commit(List<SortedRun> runs) throws IOException {
        int shuffleId = spec.shuffleId();
        Path data = files.newTempFile(shuffleId, mapId, "data");
        temps.add(data);
        RunMerger.Result result;
        long bytes;
        try (SegmentedOutput out = new SegmentedOutput(data)) {
            result = new RunMerger(spec, order, combine).merge(runs, out);
            bytes = out.totalBytes();
        }
        MapOutputIndex index = MapOutputIndex.fromLengths(result.lengths(), result.checksums());
        Path indexTemp = files.newTempFile(shuffleId, mapId, "index");
        temps.add(indexTemp);
        index.write(indexTemp);
        // Data first: whoever finds the index finds the data it describes.
        files.commit(data, files.dataFile(shuffleId, mapId, attemptId));
        files.commit(indexTemp, files.indexFile(shuffleId, mapId, attemptId));
        metrics.shuffleRecordsWritten += result.records();
        metrics.shuffleBytesWritten += bytes;
        return result.lengths();
    }

    private void cleanUp() throws IOException {
        IOException first = null;
        for (SpillRun run : spills) {
            try {
                run.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        spills.clear();
        for (Path p : temps) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        temps.clear();
        if (first != null) {
            throw first;
        }
    }
}
