package dev.weft.task;

import dev.weft.exec.TaskContext;
import dev.weft.plan.Split;
import java.io.Serializable;
import java.util.Objects;

/**
 * The unit of work shipped to an executor: compute one split of a stage's final dataset and either
 * write it to a shuffle ({@link ShuffleMapTask}) or apply the job's function to it ({@link ResultTask}).
 * Serialized once per task on the driver (which also proves the closures are serializable) and
 * deserialized on the executor's task thread.
 */
public abstract class Task implements Serializable {
    private final int stageId;
    private final Split split;

    protected Task(int stageId, Split split) {
        this.stageId = stageId;
        this.split = Objects.requireNonNull(split, "split is null");
    }

    public final int stageId() {
        return stageId;
    }

    public final int partition() {
        return split.index();
    }

    public final Split split() {
        return split;
    }

    /** Runs the task; the returned value travels back to the driver serialized. */
    public abstract Object run(TaskContext ctx) throws Exception;
}
