package dev.weft.scheduler;

import dev.weft.shuffle.MapStatus;
import java.util.List;
import java.util.Optional;

/**
 * What a driver keeps of its finished work so that a restarted driver (the next ApplicationMaster attempt, running
 * the program's {@code main} again) does not redo it: the map outputs of each completed shuffle, and the outputs it began and committed (so that a restarted
 * driver keeps the partitions already committed and does not write a committed output again). The DAG scheduler
 * records a shuffle when its map stage succeeds and, building the same shuffle again in a later attempt, takes the
 * recorded outputs instead of running the stage; if they turn out to be gone, readers' fetch failures re-run the maps
 * as for any lost output.
 *
 * <p>Shuffles are recorded and looked up on the scheduler thread, outputs on the program's threads (the ones that
 * save datasets): implementations are thread-safe.
 */
public interface DriverJournal {
    /** Keeps nothing and recovers nothing: a driver that cannot be restarted. */
    DriverJournal NONE = new DriverJournal() {
        @Override
        public Optional<List<MapStatus>> recoveredShuffle(ShuffleLineage shuffle) {
            return Optional.empty();
        }

        @Override
        public java.util.List<java.util.Map<Long, Object>> recoveredAccumulatorUpdates(ShuffleLineage shuffle) {
            return List.of();
        }

        @Override
        public void shuffleCompleted(
                ShuffleLineage shuffle, List<MapStatus> statuses, List<java.util.Map<Long, Object>> updates) {}

        @Override
        public Optional<EarlierOutput> earlierOutput(String path, String fingerprint, int partitions) {
            return Optional.empty();
        }

        @Override
        public void outputStarted(String path, String jobToken, String fingerprint, int partitions) {}

        @Override
        public void outputCommitted(String path, String jobToken) {}
    };

    /**
     * An output an earlier attempt began writing.
     *
     * @param jobToken  the committer's token, which names its staging directory
     * @param committed whether that attempt also committed it (the output is complete)
     */
    record EarlierOutput(String jobToken, boolean committed) {
        public EarlierOutput {
            java.util.Objects.requireNonNull(jobToken, "jobToken is null");
        }
    }

    /**
     * The output an earlier attempt began writing to {@code path} from a dataset of the same lineage
     * ({@link ShuffleLineage#fingerprint}) and partition count, if any (the latest attempt's).
     */
    Optional<EarlierOutput> earlierOutput(String path, String fingerprint, int partitions);

    /** Records that this attempt begins writing {@code path} under {@code jobToken}, before any task writes. */
    void outputStarted(String path, String jobToken, String fingerprint, int partitions);

    /** Records that the output this attempt began writing to {@code path} is committed. */
    void outputCommitted(String path, String jobToken);

    /**
     * Every map output of {@code shuffle} as an earlier attempt completed it (one status per map, in map order), or
     * empty when no earlier attempt did, or its record does not match this lineage.
     */
    Optional<List<MapStatus>> recoveredShuffle(ShuffleLineage shuffle);

    /**
     * What the tasks that wrote a {@linkplain #recoveredShuffle recovered shuffle}'s outputs reported to accumulators,
     * one map of accumulator id to value per map (empty if nothing): a restarted driver merges them, so that its
     * accumulators count the work it did not redo.
     */
    List<java.util.Map<Long, Object>> recoveredAccumulatorUpdates(ShuffleLineage shuffle);

    /**
     * Records that every map output of {@code shuffle} is at {@code statuses} (one per map, in map order), written by
     * tasks that reported {@code updates} to accumulators (one map per map output, in map order).
     */
    void shuffleCompleted(ShuffleLineage shuffle, List<MapStatus> statuses, List<java.util.Map<Long, Object>> updates);
}
