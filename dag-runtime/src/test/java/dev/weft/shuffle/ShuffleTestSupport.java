package dev.weft.shuffle;

import dev.weft.core.HashPartitioner;
import dev.weft.core.Pair;
import dev.weft.memory.MemoryBudget;
import dev.weft.metrics.TaskMetrics;
import dev.weft.serde.ValueSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Writes map outputs and reads reduce partitions back for the shuffle tests. */
final class ShuffleTestSupport {
    private ShuffleTestSupport() {}

    static Aggregator<Object, Object> sumAggregator() {
        return new Aggregator<>(v -> v, (c, v) -> (Long) c + (Long) v, (a, b) -> (Long) a + (Long) b);
    }

    static ShuffleSpec spec(
            int shuffleId,
            int partitions,
            KeyOrdering ordering,
            Comparator<Object> comparator,
            Aggregator<Object, Object> aggregator,
            boolean mapSideCombine) {
        return new ShuffleSpec(
                shuffleId,
                new HashPartitioner(partitions),
                ValueSerializer.instance(),
                ValueSerializer.instance(),
                ordering,
                comparator,
                aggregator,
                mapSideCombine);
    }

    /** Writes every map's records as map output {@code mapId = index}, attempt 0; returns each map's partition lengths. */
    static List<long[]> writeMaps(
            ShuffleSpec spec,
            List<List<Pair<Object, Object>>> maps,
            ShuffleFiles files,
            MemoryBudget budget,
            TaskMetrics metrics)
            throws IOException {
        List<long[]> lengths = new ArrayList<>();
        for (int m = 0; m < maps.size(); m++) {
            lengths.add(new SortShuffleWriter(spec, m, 0, files, budget.forTask(m), metrics)
                    .write(maps.get(m).iterator()));
        }
        return lengths;
    }

    static List<LocalShuffleBlock> blocks(ShuffleSpec spec, ShuffleFiles files, int numMaps, int reduceId) {
        List<LocalShuffleBlock> blocks = new ArrayList<>();
        for (int m = 0; m < numMaps; m++) {
            blocks.add(new LocalShuffleBlock(files, spec.shuffleId(), m, 0, reduceId, "local-" + m));
        }
        return blocks;
    }

    static List<Pair<Object, Object>> readPartition(
            ShuffleSpec spec,
            ShuffleFiles files,
            int numMaps,
            int reduceId,
            MemoryBudget budget,
            TaskMetrics metrics,
            Path tmpDir) {
        List<Pair<Object, Object>> out = new ArrayList<>();
        try (RecordStream s = ShuffleReader.read(
                spec, reduceId, blocks(spec, files, numMaps, reduceId), budget.forTask(0), metrics, tmpDir)) {
            while (s.advance()) {
                out.add(Pair.of(s.key(), s.value()));
            }
        }
        return out;
    }
}
