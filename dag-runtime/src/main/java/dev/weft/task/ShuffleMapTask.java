package dev.weft.task;

import dev.weft.core.Pair;
import dev.weft.exec.ExecutorEnv;
import dev.weft.exec.TaskContext;
import dev.weft.plan.Node;
import dev.weft.plan.ShuffleDependency;
import dev.weft.plan.Split;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.SortShuffleWriter;
import java.util.Objects;

/** Computes one split of a shuffle's parent and writes it as sorted, indexed map output. */
public final class ShuffleMapTask extends Task {
    private final ShuffleDependency dependency;

    public ShuffleMapTask(int stageId, ShuffleDependency dependency, Split split) {
        super(stageId, split);
        this.dependency = Objects.requireNonNull(dependency, "dependency is null");
    }

    public ShuffleDependency dependency() {
        return dependency;
    }

    @Override
    @SuppressWarnings("unchecked")
    public MapStatus run(TaskContext ctx) throws Exception {
        ExecutorEnv env = ctx.env();
        Node<Pair<?, ?>> parent = (Node<Pair<?, ?>>) dependency.parent();
        SortShuffleWriter writer = new SortShuffleWriter(
                dependency.spec(), partition(), ctx.taskAttemptId(), env.shuffleFiles(), ctx.memory(), ctx.metrics());
        long[] lengths = writer.write(new KillableIterator<>(parent.iterator(split(), ctx), ctx));
        return MapStatus.of(dependency.shuffleId(), partition(), ctx.taskAttemptId(), env.location(), lengths);
    }
}
