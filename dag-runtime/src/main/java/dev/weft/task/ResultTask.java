package dev.weft.task;

import dev.weft.exec.TaskContext;
import dev.weft.plan.Node;
import dev.weft.plan.Split;
import java.util.Objects;

/** Applies the job's function to one split of the final dataset; the result goes back to the driver. */
public final class ResultTask<T, R> extends Task {
    private final Node<T> node;
    private final ResultFunction<T, R> fn;

    public ResultTask(int stageId, Node<T> node, Split split, ResultFunction<T, R> fn) {
        super(stageId, split);
        this.node = Objects.requireNonNull(node, "node is null");
        this.fn = Objects.requireNonNull(fn, "fn is null");
    }

    @Override
    public Object run(TaskContext ctx) throws Exception {
        return fn.apply(ctx, new KillableIterator<>(node.iterator(split(), ctx), ctx));
    }
}
