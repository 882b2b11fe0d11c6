package dev.weft.plan;

import dev.weft.core.Partitioner;
import dev.weft.exec.TaskContext;
import dev.weft.serde.Serializer;
import dev.weft.serde.ValueSerializer;
import dev.weft.storage.BlockManager;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A node of the lineage graph: how to compute each split of a dataset from its dependencies. Nodes are
 * created on the driver and shipped (Java-serialized) inside tasks; {@link #splits()} is driver-only.
 *
 * <p>Threading: immutable after construction except for persistence and checkpoint marks, which the
 * driver sets before the jobs that use them are submitted.
 */
public abstract class Node<T> implements Serializable {
    private final int id;
    private final String callSite;
    private final Serializer<T> serializer;
    private transient volatile Split[] splits;
    private volatile StorageLevel storageLevel = StorageLevel.NONE;
    private volatile CheckpointState checkpoint;
    private transient volatile boolean checkpointRequested;

    protected Node(int id, String callSite, Serializer<T> serializer) {
        if (id < 0) {
            throw new IllegalArgumentException("id must be >= 0: " + id);
        }
        this.id = id;
        this.callSite = Objects.requireNonNull(callSite, "callSite is null");
        this.serializer = serializer == null ? ValueSerializer.instance() : serializer;
    }

    public final int id() {
        return id;
    }

    /** Where the user created this dataset, e.g. {@code "reduceByKey at WordCount.java:31"}. */
    public final String callSite() {
        return callSite;
    }

    public final Serializer<T> serializer() {
        return serializer;
    }

    /** The splits of this dataset; computed once, on the driver. */
    public final Split[] splits() {
        Split[] s = splits;
        if (s == null) {
            s = computeSplits();
            for (int i = 0; i < s.length; i++) {
                if (s[i].index() != i) {
                    throw new IllegalStateException(this + ": split " + i + " has index " + s[i].index());
                }
            }
            splits = s;
        }
        return s;
    }

    public final int numPartitions() {
        return splits().length;
    }

    protected abstract Split[] computeSplits();

    /** The lineage edges; empty once the node is checkpointed. */
    public final List<Dependency> dependencies() {
        return checkpoint != null ? List.of() : lineage();
    }

    protected abstract List<Dependency> lineage();

    /**
     * The bytes a node without dependencies reads to compute all its splits (its files' sizes), 0 when its data is
     * already in memory (a parallelized collection), or -1 when unknown. Driver only; a node with dependencies is
     * never asked. A checkpointed node reads its checkpoint, whose size is not known here: -1.
     */
    public long sourceBytes() {
        return checkpoint != null ? -1 : 0;
    }

    /** Computes one split from the dependencies (never from cache or checkpoint). */
    protected abstract Iterator<T> compute(Split split, TaskContext ctx) throws Exception;

    /** The partitioner of the records' keys if this node's partitions are known to be partitioned by key. */
    public Partitioner partitioner() {
        return null;
    }

    /** Hosts that hold this split's input (locality). */
    public List<String> preferredHosts(Split split) {
        return List.of();
    }

    /**
     * The splits of {@code parent}, one of this node's narrow dependencies, that computing {@code split}
     * reads. The scheduler follows them to find where a task's data is (a cached or input partition further
     * down the stage). Default: none known, which stops that search at this node.
     */
    public List<Split> narrowParentSplits(Node<?> parent, Split split) {
        return List.of();
    }

    /** Reads a split: from its checkpoint, from the executor's cache, or by computing it. */
    public final Iterator<T> iterator(Split split, TaskContext ctx) {
        try {
            CheckpointState cp = checkpoint;
            if (cp != null) {
                return cp.read(split.index(), serializer, ctx);
            }
            if (storageLevel != StorageLevel.NONE) {
                return ctx.env()
                        .blockManager()
                        .getOrCompute(
                                new BlockManager.BlockId(id, split.index()),
                                serializer,
                                storageLevel == StorageLevel.MEMORY_AND_DISK,
                                () -> computeUncached(split, ctx),
                                ctx);
            }
            return compute(split, ctx);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new UserCodeException(e);
        }
    }

    /** What the block manager runs to fill the cache: {@link #compute}, with checked failures as user-code failures. */
    private Iterator<T> computeUncached(Split split, TaskContext ctx) {
        try {
            return compute(split, ctx);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new UserCodeException(e);
        }
    }

    public final StorageLevel storageLevel() {
        return storageLevel;
    }

    public final void setStorageLevel(StorageLevel level) {
        this.storageLevel = Objects.requireNonNull(level, "level is null");
    }

    public final CheckpointState checkpoint() {
        return checkpoint;
    }

    public final void markCheckpointed(CheckpointState state) {
        this.checkpoint = Objects.requireNonNull(state, "state is null");
    }

    public final boolean checkpointRequested() {
        return checkpointRequested;
    }

    public final void requestCheckpoint() {
        this.checkpointRequested = true;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "#" + id + "(" + callSite + ")";
    }
}
