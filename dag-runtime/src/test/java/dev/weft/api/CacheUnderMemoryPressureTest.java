package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import dev.weft.metrics.TaskMetrics;
import dev.weft.plan.StorageLevel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a job that caches more than the whole memory budget and then shuffles still succeeds, with exact
 * results. Cached blocks take at most half the budget and only free memory, so the shuffle always keeps the other
 * half and spills; a block that does not fit is kept on disk (MEMORY_AND_DISK) or recomputed (MEMORY_ONLY).
 */
class CacheUnderMemoryPressureTest {
    static final int N = 1_000_000;
    static WeftContext ctx;

    @BeforeAll
    static void start() {
        ctx = new WeftContext(
                WeftConf.defaults().with("weft.local.threads", "2").with("weft.memory.budget", "8m"));
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    private static Dataset<String> generated(int partitions) {
        List<Integer> seeds = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
        return ctx.parallelize(seeds, partitions).flatMap(p -> {
            Random rnd = new Random(p);
            return IntStream.range(0, N / partitions)
                    .mapToObj(i -> "key-" + rnd.nextInt(200_000) + "-padding-to-make-the-cache-larger")
                    .iterator();
        });
    }

    private static Map<String, Long> reference(int partitions) {
        Map<String, Long> counts = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            Random rnd = new Random(p);
            for (int i = 0; i < N / partitions; i++) {
                counts.merge("key-" + rnd.nextInt(200_000) + "-padding-to-make-the-cache-larger", 1L, Long::sum);
            }
        }
        return counts;
    }

    @Test
    void aCacheLargerThanTheBudgetThenAShuffleSucceedsExactlyAtEitherStorageLevel() {
        Map<String, Long> reference = reference(4);
        for (StorageLevel level : new StorageLevel[] {StorageLevel.MEMORY_AND_DISK, StorageLevel.MEMORY_ONLY}) {
            // About 50 MB of serialized strings against an 8 MiB budget.
            Dataset<String> words = generated(4).persist(level);
            assertEquals(N, words.count(), level + ": first pass caches what fits");
            assertEquals(N, words.count(), level + ": second pass reads the cache, disk or recomputes");
            TaskMetrics before = ctx.metrics();
            Map<String, Long> counts = new TreeMap<>(words.mapToPair(w -> Pair.of(w, 1L))
                    .reduceByKey(Long::sum, 3)
                    .collectAsMap());
            TaskMetrics after = ctx.metrics();
            assertEquals(reference, counts, level.toString());
            assertTrue(after.spillCount - before.spillCount > 0, level + ": the shuffle spilled: " + after);
            words.unpersist();
        }
    }
}
