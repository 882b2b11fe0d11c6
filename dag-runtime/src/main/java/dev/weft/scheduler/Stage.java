package dev.weft.scheduler;

import dev.weft.events.StageState;
import dev.weft.plan.Node;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A set of tasks that compute one node's splits without crossing a shuffle. Owned by the scheduler
 * thread; never touched elsewhere.
 */
abstract class Stage {
    final int id;
    final Node<?> node;
    final List<Stage> parents;
    final String name;
    final int firstJobId;
    final Set<Integer> jobIds = new HashSet<>();
    /** Partitions of the current attempt that have not succeeded yet. */
    final Set<Integer> pending = new TreeSet<>();
    /** Partitions whose accumulator updates were merged, so retried attempts never count twice. */
    final BitSet accumulatorsCounted = new BitSet();
    /** Attempts that ended in a fetch failure since the stage last succeeded. */
    final Set<Integer> fetchFailedAttempts = new HashSet<>();

    int attempt = -1;
    StageState state = StageState.CREATED;

    Stage(int id, Node<?> node, List<Stage> parents, int firstJobId) {
        this.id = id;
        this.node = node;
        this.parents = List.copyOf(parents);
        this.name = node.callSite();
        this.firstJobId = firstJobId;
    }

    abstract int numPartitions();

    /** Split indices that still need computing. */
    abstract List<Integer> missingPartitions();

    abstract boolean isShuffleMap();

    @Override
    public String toString() {
        return "stage " + id + " (" + name + ")";
    }
}
