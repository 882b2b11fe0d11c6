package dev.weft.ui;

import dev.weft.api.WeftContext;
import dev.weft.core.Pair;
import dev.weft.events.WeftListener;
import dev.weft.exec.TaskContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real three-stage job on the local backend, watched by the given listeners: words are counted (stage 0 maps,
 * stage 1 reduces and re-keys by count), then grouped by count (stage 2, the result). The first attempt of map
 * partition 1 fails once, so stage 0 has one failed attempt.
 */
final class RecordedJob {
    static final int WORDS = 6_000;
    static final int DISTINCT = 60;
    static final int MAP_PARTITIONS = 4;
    static final String INJECTED = "injected failure of the first attempt of partition 1";

    private RecordedJob() {}

    static List<String> words() {
        List<String> words = new ArrayList<>(WORDS);
        for (int i = 0; i < WORDS; i++) {
            words.add("w" + (i * 7919 % DISTINCT) % (i % 3 == 0 ? DISTINCT : 17));
        }
        return words;
    }

    /** The job's result computed in plain Java: words by how often they occur. */
    static Map<Long, List<String>> reference() {
        Map<String, Long> counts = new TreeMap<>();
        words().forEach(w -> counts.merge(w, 1L, Long::sum));
        Map<Long, List<String>> byCount = new TreeMap<>();
        counts.forEach(
                (w, c) -> byCount.computeIfAbsent(c, k -> new ArrayList<>()).add(w));
        byCount.values().forEach(l -> l.sort(null));
        return byCount;
    }

    static Map<Long, List<String>> run(WeftListener... listeners) {
        try (WeftContext ctx = WeftContext.local()) {
            for (WeftListener l : listeners) {
                ctx.addListener(l);
            }
            Map<Long, List<String>> result = new TreeMap<>(ctx.parallelize(words(), MAP_PARTITIONS)
                    .map(w -> {
                        TaskContext t = TaskContext.get();
                        if (t.partitionId() == 1 && t.attemptNumber() == 0) {
                            throw new IllegalStateException(INJECTED);
                        }
                        return w;
                    })
                    .mapToPair(w -> Pair.of(w, 1L))
                    .reduceByKey(Long::sum, 3)
                    .mapToPair(p -> Pair.of(p.value(), p.key()))
                    .groupByKey(2)
                    .collectAsMap());
            result.replaceAll((k, v) -> {
                List<String> sorted = new ArrayList<>(v);
                sorted.sort(null);
                return sorted;
            });
            return result;
        }
    }
}
