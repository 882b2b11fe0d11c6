package dev.weft.exec;

import dev.weft.memory.MemoryBudget;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.LocalShuffleBlock;
import dev.weft.shuffle.ShuffleFiles;
import dev.weft.storage.BlockManager;
import dev.weft.storage.BroadcastResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/**
 * The services one executor offers its tasks: memory budget, shuffle files, cache, broadcast values,
 * map output locations, the driver's word on output commits. One per executor process (the local backend has exactly one); thread-safe.
 */
public final class ExecutorEnv {
    private final String executorId;
    private final BlockLocation location;
    private final MemoryBudget memory;
    private final ShuffleFiles shuffleFiles;
    private final Path tmpDir;
    private final BlockManager blockManager;
    private final BroadcastResolver broadcasts;
    private final MapOutputLookup mapOutputs;
    private final ShuffleBlockProvider blockProvider;
    private final Configuration hadoopConf;
    private final CommitAuthority commitAuthority;

    public ExecutorEnv(
            String executorId,
            BlockLocation location,
            MemoryBudget memory,
            ShuffleFiles shuffleFiles,
            Path tmpDir,
            BroadcastResolver broadcasts,
            MapOutputLookup mapOutputs,
            ShuffleBlockProvider blockProvider,
            Configuration hadoopConf,
            CommitAuthority commitAuthority) {
        this.executorId = Objects.requireNonNull(executorId, "executorId is null");
        this.location = Objects.requireNonNull(location, "location is null");
        this.memory = Objects.requireNonNull(memory, "memory is null");
        this.shuffleFiles = Objects.requireNonNull(shuffleFiles, "shuffleFiles is null");
        this.tmpDir = Objects.requireNonNull(tmpDir, "tmpDir is null");
        this.broadcasts = Objects.requireNonNull(broadcasts, "broadcasts is null");
        this.mapOutputs = Objects.requireNonNull(mapOutputs, "mapOutputs is null");
        this.blockProvider = Objects.requireNonNull(blockProvider, "blockProvider is null");
        this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf is null");
        this.commitAuthority = Objects.requireNonNull(commitAuthority, "commitAuthority is null");
        this.blockManager = new BlockManager(executorId, memory, tmpDir.resolve("cache"));
    }

    /**
     * An executor inside the driver's process (the local backend, or the YARN driver running a small job itself):
     * shuffle files and temporary files under {@code dir}, blocks read straight from those files, no shuffle server
     * (its outputs are readable only by tasks of the same process).
     *
     * @throws UncheckedIOException when the directories cannot be created
     */
    public static ExecutorEnv inProcess(
            String executorId,
            String host,
            MemoryBudget memory,
            Path dir,
            BroadcastResolver broadcasts,
            MapOutputLookup mapOutputs,
            Configuration hadoopConf,
            CommitAuthority commitAuthority) {
        ShuffleFiles files = new ShuffleFiles(dir.resolve("shuffle"));
        try {
            Files.createDirectories(dir.resolve("shuffle"));
            Files.createDirectories(dir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create directories under " + dir + ": " + e, e);
        }
        return new ExecutorEnv(
                executorId,
                new BlockLocation(executorId, host, -1),
                memory,
                files,
                dir.resolve("tmp"),
                broadcasts,
                mapOutputs,
                (status, reduceId) -> new LocalShuffleBlock(
                        files,
                        status.shuffleId(),
                        status.mapId(),
                        status.attemptId(),
                        reduceId,
                        status.location().toString()),
                hadoopConf,
                commitAuthority);
    }

    public String executorId() {
        return executorId;
    }

    public BlockLocation location() {
        return location;
    }

    public MemoryBudget memory() {
        return memory;
    }

    public ShuffleFiles shuffleFiles() {
        return shuffleFiles;
    }

    public Path tmpDir() {
        return tmpDir;
    }

    public BlockManager blockManager() {
        return blockManager;
    }

    public BroadcastResolver broadcasts() {
        return broadcasts;
    }

    public MapOutputLookup mapOutputs() {
        return mapOutputs;
    }

    public ShuffleBlockProvider blockProvider() {
        return blockProvider;
    }

    /** Who decides whether an attempt may commit its output: the driver. */
    public CommitAuthority commitAuthority() {
        return commitAuthority;
    }

    /** A fresh copy per call: Hadoop's Configuration is not thread-safe for writes. */
    public Configuration hadoopConf() {
        return new Configuration(hadoopConf);
    }
}
