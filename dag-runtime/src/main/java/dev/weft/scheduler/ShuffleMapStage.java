package dev.weft.scheduler;

import dev.weft.id.ShuffleId;
import dev.weft.plan.ShuffleDependency;
import java.util.List;

/** Writes a shuffle's map outputs; done when every map partition has an available output. */
final class ShuffleMapStage extends Stage {
    final ShuffleDependency dependency;
    private final MapOutputTracker tracker;

    ShuffleMapStage(
            int id, ShuffleDependency dependency, List<Stage> parents, int firstJobId, MapOutputTracker tracker) {
        super(id, dependency.parent(), parents, firstJobId);
        this.dependency = dependency;
        this.tracker = tracker;
    }

    @Override
    int numPartitions() {
        return node.numPartitions();
    }

    @Override
    List<Integer> missingPartitions() {
        return tracker.missing(new ShuffleId(dependency.shuffleId()));
    }

    boolean isAvailable() {
        return tracker.missing(new ShuffleId(dependency.shuffleId())).isEmpty();
    }

    @Override
    boolean isShuffleMap() {
        return true;
    }
}
