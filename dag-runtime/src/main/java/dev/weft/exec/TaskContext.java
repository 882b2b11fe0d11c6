package dev.weft.exec;

import dev.weft.memory.TaskMemory;
import dev.weft.metrics.TaskMetrics;
import dev.weft.storage.BlockManager;
import dev.weft.storage.BlockTaskScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a running task attempt knows about itself. User code reaches it through {@link #get()} (for
 * example to read {@link #attemptNumber()}); the engine uses it to find executor services, collect
 * metrics and accumulator updates, and release resources when the task ends.
 *
 * <p>Threading: owned by the task's thread; {@link #kill()} may be called from any thread.
 */
public final class TaskContext implements BlockTaskScope {
    private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

    private final int stageId;
    private final int stageAttempt;
    private final int partitionId;
    private final int attemptNumber;
    private final long taskAttemptId;
    private final ExecutorEnv env;
    private final TaskMemory memory;
    private final TaskMetrics metrics = new TaskMetrics();
    private final Map<Long, AccumulatorHandle> accumulators = new LinkedHashMap<>();
    private final List<AutoCloseable> onCompletion = new ArrayList<>();
    private final List<BlockManager.BlockId> cachedBlocks = new ArrayList<>();
    private volatile boolean killed;

    public TaskContext(
            int stageId, int stageAttempt, int partitionId, int attemptNumber, long taskAttemptId, ExecutorEnv env) {
        this.stageId = stageId;
        this.stageAttempt = stageAttempt;
        this.partitionId = partitionId;
        this.attemptNumber = attemptNumber;
        this.taskAttemptId = taskAttemptId;
        this.env = Objects.requireNonNull(env, "env is null");
        this.memory = env.memory().forTask(taskAttemptId);
    }

    /** The context of the task running on this thread, or null outside tasks (e.g. on the driver). */
    public static TaskContext get() {
        return CURRENT.get();
    }

    public static void set(TaskContext ctx) {
        if (ctx == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(ctx);
        }
    }

    public int stageId() {
        return stageId;
    }

    public int stageAttempt() {
        return stageAttempt;
    }

    public int partitionId() {
        return partitionId;
    }

    /** 0 for the first attempt of this partition in this stage attempt, 1 for the first retry, … */
    public int attemptNumber() {
        return attemptNumber;
    }

    /** Unique across the application; names this attempt's shuffle files. */
    public long taskAttemptId() {
        return taskAttemptId;
    }

    public ExecutorEnv env() {
        return env;
    }

    /**
     * This attempt's share of the executor's memory budget, for its shuffle buffers and aggregation; the
     * task runner releases whatever is left in it when the attempt ends.
     */
    public TaskMemory memory() {
        return memory;
    }

    public TaskMetrics metrics() {
        return metrics;
    }

    public boolean isKilled() {
        return killed;
    }

    public void kill() {
        killed = true;
    }

    /** Registers the task-local copy of an accumulator; its value is reported with the task's result. */
    public void registerAccumulator(AccumulatorHandle acc) {
        accumulators.putIfAbsent(acc.id(), acc);
    }

    public AccumulatorHandle accumulator(long id) {
        return accumulators.get(id);
    }

    public Map<Long, AccumulatorHandle> accumulators() {
        return accumulators;
    }

    /** Called by the block manager (on the task's thread) when this attempt stored a partition in the cache. */
    @Override
    public void cachedBlock(BlockManager.BlockId id) {
        cachedBlocks.add(Objects.requireNonNull(id, "id is null"));
    }

    /** The partitions this attempt cached, reported to the driver with its success. */
    public List<BlockManager.BlockId> cachedBlocks() {
        return List.copyOf(cachedBlocks);
    }

    /** Closes {@code resource} when the task ends, successfully or not (open streams, memory). */
    @Override
    public void onCompletion(AutoCloseable resource) {
        onCompletion.add(Objects.requireNonNull(resource, "resource is null"));
    }

    /** Runs the completion callbacks in reverse order; returns the first failure, if any. */
    public Throwable complete() {
        Throwable first = null;
        for (int i = onCompletion.size() - 1; i >= 0; i--) {
            try {
                onCompletion.get(i).close();
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                }
            }
        }
        onCompletion.clear();
        return first;
    }
}
