package dev.weft.scheduler;

import dev.weft.shuffle.MapStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The completed shuffles earlier driver attempts journaled, checked before any is trusted: a record is used only if
 * it matches the lineage this attempt built, names every map once with the right shuffle and reduce count, and every
 * output is served by a NodeManager service on behalf of an application that still runs ({@code servable}); anything
 * else is logged and computed afresh, never half-used. The outputs come back under executor ids of their own
 * ({@code <application>/<executor>}), so no executor of this attempt that happens to reuse an old id takes them for
 * its own files.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class JournalReplay {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);

    private final Map<Integer, Map.Entry<ShuffleLineage, List<MapStatus>>> byShuffleId = new HashMap<>();
    private final Predicate<String> servable;
    private final Map<String, JournalFile.Output> outputs = new HashMap<>();
    private final Map<ShuffleLineage, List<Map<Long, Object>>> accumulatorUpdates = new HashMap<>();

    /**
     * @param journals earlier attempts' journals, oldest first: a later record of the same shuffle id wins
     * @param servable whether outputs of this application (its id) can still be read from the NodeManagers
     */
    public JournalReplay(List<JournalFile.Contents> journals, Predicate<String> servable) {
        this.servable = servable;
        for (JournalFile.Contents c : journals) {
            for (Map.Entry<ShuffleLineage, List<MapStatus>> e : c.shuffles().entrySet()) {
                byShuffleId.put(e.getKey().shuffleId(), Map.entry(e.getKey(), e.getValue()));
            }
            outputs.putAll(c.outputs());
            accumulatorUpdates.putAll(c.accumulatorUpdates());
        }
    }

    /** The number of shuffles the journals hold. */
    public int size() {
        return byShuffleId.size();
    }

    /** {@code shuffle}'s outputs as journaled, if they pass every check (see the class comment). */
    public Optional<List<MapStatus>> lookup(ShuffleLineage shuffle) {
        Map.Entry<ShuffleLineage, List<MapStatus>> recorded = byShuffleId.get(shuffle.shuffleId());
        if (recorded == null) {
            return Optional.empty();
        }
        if (!recorded.getKey().equals(shuffle)) {
            LOG.warn(
                    "{} is not the shuffle the earlier attempt journaled under that id ({}): the program built"
                            + " something else, so it is computed afresh",
                    shuffle,
                    recorded.getKey());
            return Optional.empty();
        }
        String problem = problem(shuffle, recorded.getValue());
        if (problem != null) {
            LOG.warn("{}: the journaled outputs are not used ({}); computing them afresh", shuffle, problem);
            return Optional.empty();
        }
        List<MapStatus> out = new ArrayList<>(recorded.getValue().size());
        for (MapStatus s : recorded.getValue()) {
            String app = s.location().appId();
            out.add(s.withLocation(new dev.weft.shuffle.BlockLocation(
                    app + "/" + s.location().executorId(),
                    s.location().host(),
                    s.location().port(),
                    app)));
        }
        return Optional.of(List.copyOf(out));
    }

    /**
     * What the tasks that wrote {@code shuffle}'s outputs reported to accumulators, per map (empty when nothing was
     * reported); to merge only with outputs {@link #lookup} returned.
     */
    public List<Map<Long, Object>> accumulatorUpdates(ShuffleLineage shuffle) {
        return accumulatorUpdates.getOrDefault(shuffle, List.of());
    }

    /** The output the latest earlier attempt began writing to {@code path} from the same lineage, if any. */
    public Optional<DriverJournal.EarlierOutput> earlierOutput(String path, String fingerprint, int partitions) {
        JournalFile.Output o = outputs.get(path);
        if (o == null) {
            return Optional.empty();
        }
        if (!o.fingerprint().equals(fingerprint) || o.partitions() != partitions) {
            LOG.warn(
                    "{} was begun by an earlier attempt from another dataset (lineage or partition count differs):"
                            + " not resumed",
                    path);
            return Optional.empty();
        }
        return Optional.of(new DriverJournal.EarlierOutput(o.jobToken(), o.committed()));
    }

    private String problem(ShuffleLineage shuffle, List<MapStatus> statuses) {
        if (statuses.size() != shuffle.numMaps()) {
            return statuses.size() + " outputs for " + shuffle.numMaps() + " maps";
        }
        for (int m = 0; m < statuses.size(); m++) {
            MapStatus s = statuses.get(m);
            if (s == null || s.shuffleId() != shuffle.shuffleId() || s.mapId() != m) {
                return "output " + m + " is " + s;
            }
            if (s.numPartitions() != shuffle.numReduces()) {
                return "output " + m + " has " + s.numPartitions() + " blocks for " + shuffle.numReduces() + " reduces";
            }
            if (s.location().port() <= 0 || s.location().appId().isEmpty()) {
                return "output " + m + " was served by its executor (" + s.location()
                        + "), which did not outlive the driver";
            }
            if (!servable.test(s.location().appId())) {
                return "application " + s.location().appId() + ", which held output " + m + ", has ended";
            }
        }
        return null;
    }
}
