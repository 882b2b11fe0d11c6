package dev.weft.scheduler;

import dev.weft.plan.Dependency;
import dev.weft.plan.Node;
import dev.weft.plan.ShuffleDependency;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * How big a job is before it runs, for a backend that places whole jobs (the YARN backend's uber mode runs small
 * ones inside the driver): its stages, the tasks they have together, and the bytes its files hold.
 *
 * <p>An upper bound: every shuffle of the lineage counts, also one an earlier job already computed, so a job is
 * never thought smaller than it is.
 *
 * @param tasks      result partitions plus every shuffle's map partitions
 * @param inputBytes what the lineage's sources read ({@link Node#sourceBytes()}), or -1 when a source cannot say
 */
public record JobShape(int jobId, int stages, long tasks, long inputBytes) {
    public JobShape {
        if (stages < 1) {
            throw new IllegalArgumentException("stages must be >= 1: " + stages);
        }
        if (tasks < 0) {
            throw new IllegalArgumentException("tasks is negative: " + tasks);
        }
        if (inputBytes < -1) {
            throw new IllegalArgumentException("inputBytes must be >= -1: " + inputBytes);
        }
    }

    /** Walks the lineage of a job over {@code resultPartitions} partitions of {@code node}. Driver only. */
    static JobShape of(int jobId, Node<?> node, int resultPartitions) {
        int stages = 1;
        long tasks = resultPartitions;
        long input = 0;
        Set<Integer> seen = new HashSet<>();
        Deque<Node<?>> todo = new ArrayDeque<>();
        todo.push(node);
        seen.add(node.id());
        while (!todo.isEmpty()) {
            Node<?> n = todo.pop();
            if (n.dependencies().isEmpty()) {
                long bytes = n.sourceBytes();
                input = bytes < 0 || input < 0 ? -1 : input + bytes;
            }
            for (Dependency d : n.dependencies()) {
                if (!seen.add(d.parent().id())) {
                    continue;
                }
                if (d instanceof ShuffleDependency) {
                    stages++;
                    tasks += d.parent().numPartitions();
                }
                todo.push(d.parent());
            }
        }
        return new JobShape(jobId, stages, tasks, input);
    }
}
