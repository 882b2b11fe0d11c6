package dev.weft.scheduler;

import dev.weft.shuffle.MapStatus;
import java.util.List;
import java.util.Optional;

/**
 * What a driver keeps of its finished work so that a restarted driver (the next ApplicationMaster attempt, running
 * the program's {@code main} again) does not redo it: the map outputs of each completed shuffle. The DAG scheduler
 * records a shuffle when its map stage succeeds and, building the same shuffle again in a later attempt, takes the
 * recorded outputs instead of running the stage; if they turn out to be gone, readers' fetch failures re-run the maps
 * as for any lost output.
 *
 * <p>Called on the scheduler thread only.
 */
public interface DriverJournal {
    /** Keeps nothing and recovers nothing: a driver that cannot be restarted. */
    DriverJournal NONE = new DriverJournal() {
        @Override
        public Optional<List<MapStatus>> recoveredShuffle(ShuffleLineage shuffle) {
            return Optional.empty();
        }

        @Override
        public void shuffleCompleted(ShuffleLineage shuffle, List<MapStatus> statuses) {}
    };

    /**
     * Every map output of {@code shuffle} as an earlier attempt completed it (one status per map, in map order), or
     * empty when no earlier attempt did, or its record does not match this lineage.
     */
    Optional<List<MapStatus>> recoveredShuffle(ShuffleLineage shuffle);

    /** Records that every map output of {@code shuffle} is at {@code statuses} (one per map, in map order). */
    void shuffleCompleted(ShuffleLineage shuffle, List<MapStatus> statuses);
}
