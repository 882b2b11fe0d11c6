package dev.weft.scheduler;

import dev.weft.id.ShuffleId;
import dev.weft.plan.ShuffleDependency;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * Writes a shuffle's map outputs; done when every map partition has an available output.
 *
 * <p>The stage outlives its jobs (a later job reuses the outputs) but holds the shuffle's dependency only weakly: the
 * program's datasets and running jobs decide whether the shuffle can be read again, and once none reaches it the
 * {@link ShuffleCleaner} has it and this stage removed.
 */
final class ShuffleMapStage extends Stage {
    final int shuffleId;
    private final WeakReference<ShuffleDependency> dependency;
    private final MapOutputTracker tracker;

    ShuffleMapStage(
            int id, ShuffleDependency dependency, List<Stage> parents, int firstJobId, MapOutputTracker tracker) {
        super(id, dependency.parent(), parents, firstJobId);
        this.shuffleId = dependency.shuffleId();
        this.dependency = new WeakReference<>(dependency);
        this.tracker = tracker;
    }

    /**
     * The shuffle's dependency, for building map tasks: a job that runs this stage reaches it.
     *
     * @throws IllegalStateException when it was collected (nothing can need this stage then)
     */
    ShuffleDependency dependency() {
        ShuffleDependency d = dependency.get();
        if (d == null) {
            throw new IllegalStateException("the dependency of shuffle " + shuffleId + " was collected");
        }
        return d;
    }

    @Override
    int numPartitions() {
        return node.numPartitions();
    }

    @Override
    List<Integer> missingPartitions() {
        return tracker.missing(new ShuffleId(shuffleId));
    }

    boolean isAvailable() {
        return tracker.missing(new ShuffleId(shuffleId)).isEmpty();
    }

    @Override
    boolean isShuffleMap() {
        return true;
    }
}
