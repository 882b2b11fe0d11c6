package dev.weft.storage;

import dev.weft.memory.MemoryBudget;
import dev.weft.serde.RecordInput;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.Serializer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One executor's cache of persisted dataset partitions, kept as serialized bytes: in memory while the
 * executor's {@link MemoryBudget} allows, otherwise on local disk (MEMORY_AND_DISK) or not at all
 * (MEMORY_ONLY, recomputed on the next use). Cached bytes are storage memory: they take only free memory,
 * at most {@link MemoryBudget#STORAGE_FRACTION} of the budget, and never make a task wait.
 *
 * <p>Thread-safe. Two tasks computing the same partition at once both compute it; the last one stored
 * wins and the other's memory is returned.
 */
public final class BlockManager {
    private static final Logger LOG = LoggerFactory.getLogger(BlockManager.class);
    private static final int CHUNK = 64 * 1024;

    private final String executorId;
    private final MemoryBudget memory;
    private final Path diskDir;
    private final Map<BlockId, byte[]> inMemory = new ConcurrentHashMap<>();
    private final Map<BlockId, Path> onDisk = new ConcurrentHashMap<>();

    public BlockManager(String executorId, MemoryBudget memory, Path diskDir) {
        this.executorId = executorId;
        this.memory = memory;
        this.diskDir = diskDir;
    }

    /** A cached partition: dataset (node) id and partition index. Serializable: task outcomes report them. */
    public record BlockId(int nodeId, int partition) implements java.io.Serializable {}

    /**
     * Reads block {@code id} from memory or disk, or computes it with {@code compute} and caches what fits.
     * {@code spillToDisk} keeps a block that does not fit in memory on local disk (MEMORY_AND_DISK) instead
     * of recomputing it on the next use (MEMORY_ONLY).
     */
    public <T> Iterator<T> getOrCompute(
            BlockId id, Serializer<T> ser, boolean spillToDisk, Supplier<Iterator<T>> compute, BlockTaskScope task) {
        byte[] bytes = inMemory.get(id);
        if (bytes != null) {
            return new BytesIterator<>(ser, bytes, bytes.length);
        }
        Path file = onDisk.get(id);
        if (file != null && Files.exists(file)) {
            return readFile(ser, file, task);
        }
        return unroll(id, ser, spillToDisk, compute, task);
    }

    public boolean contains(int nodeId, int partition) {
        BlockId id = new BlockId(nodeId, partition);
        return inMemory.containsKey(id) || onDisk.containsKey(id);
    }

    /** Drops every cached partition of a dataset (unpersist). */
    public void removeDataset(int nodeId) {
        inMemory.entrySet().removeIf(e -> {
            if (e.getKey().nodeId() == nodeId) {
                memory.releaseStorage(e.getValue().length);
                return true;
            }
            return false;
        });
        onDisk.entrySet().removeIf(e -> {
            if (e.getKey().nodeId() == nodeId) {
                deleteQuietly(e.getValue());
                return true;
            }
            return false;
        });
    }

    public int memoryBlocks() {
        return inMemory.size();
    }

    public int diskBlocks() {
        return onDisk.size();
    }

    /** Computes a partition, keeping its bytes in memory within budget and falling back per storage level. */
    private <T> Iterator<T> unroll(
            BlockId id, Serializer<T> ser, boolean spillToDisk, Supplier<Iterator<T>> compute, BlockTaskScope task) {
        Iterator<T> it = compute.get();
        RecordOutput out = new RecordOutput(CHUNK);
        long granted = 0;
        int count = 0;
        boolean fits = true;
        while (it.hasNext()) {
            ser.write(it.next(), out);
            count++;
            if (out.size() > granted) {
                long more = Math.max(CHUNK, out.size() - granted);
                if (memory.tryAcquireStorage(more)) {
                    granted += more;
                } else {
                    fits = false;
                    break;
                }
            }
        }
        if (fits) {
            byte[] exact = out.toByteArray();
            memory.releaseStorage(granted - exact.length);
            byte[] previous = inMemory.put(id, exact);
            if (previous != null) {
                memory.releaseStorage(previous.length);
            }
            task.cachedBlock(id);
            LOG.debug("{} cached {} ({} records, {} bytes) in memory", executorId, id, count, exact.length);
            return new BytesIterator<>(ser, exact, exact.length);
        }
        memory.releaseStorage(granted);
        if (spillToDisk) {
            Path file = writeFile(id, ser, out, it);
            task.cachedBlock(id);
            LOG.debug("{} cached {} on disk at {}", executorId, id, file);
            return readFile(ser, file, task);
        }
        LOG.debug("{} could not cache {} within the memory budget; it will be recomputed", executorId, id);
        Iterator<T> head = new BytesIterator<>(ser, out.array(), out.size());
        return concat(head, it);
    }

    private <T> Path writeFile(BlockId id, Serializer<T> ser, RecordOutput head, Iterator<T> rest) {
        try {
            Files.createDirectories(diskDir);
            Path tmp = Files.createTempFile(diskDir, "block_" + id.nodeId() + "_" + id.partition(), ".tmp");
            try (DataOutputStream os =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                ChunkedRecords.writeChunk(os, head);
                ChunkedRecords.write(rest, ser, os);
            }
            Path file = diskDir.resolve("block_" + id.nodeId() + "_" + id.partition());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            onDisk.put(id, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write cached block " + id + " under " + diskDir, e);
        }
    }

    /** Streams a disk block chunk by chunk; the file handle is closed at the end or when the task ends. */
    private static <T> Iterator<T> readFile(Serializer<T> ser, Path file, BlockTaskScope task) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            task.onCompletion(in);
            return ChunkedRecords.read(in, ser, "cached block " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached block " + file, e);
        }
    }

    private static <T> Iterator<T> concat(Iterator<T> a, Iterator<T> b) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return a.hasNext() || b.hasNext();
            }

            @Override
            public T next() {
                return a.hasNext() ? a.next() : b.next();
            }
        };
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete cached block file {}: {}", p, e.toString());
        }
    }

    /** Deserializes consecutive self-delimiting values from a byte array. */
    static final class BytesIterator<T> implements Iterator<T> {
        private final Serializer<T> ser;
        private final RecordInput in;

        BytesIterator(Serializer<T> ser, byte[] bytes, int len) {
            this.ser = ser;
            this.in = new RecordInput(bytes, 0, len);
        }

        @Override
        public boolean hasNext() {
            return in.remaining() > 0;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ser.read(in);
        }
    }

    /** Visible for tests and metrics: which blocks are cached where. */
    public List<BlockId> blocks() {
        List<BlockId> all = new ArrayList<>(inMemory.keySet());
        all.addAll(onDisk.keySet());
        return all;
    }
}
