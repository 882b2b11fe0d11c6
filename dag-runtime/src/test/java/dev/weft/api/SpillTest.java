package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import dev.weft.metrics.TaskMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 2M-record shuffles under an 8 MiB budget spill to disk and still return exactly the reference. */
class SpillTest {
    static final int N = 2_000_000;
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

    /** Records are generated inside the tasks so the driver never holds 2M objects. */
    static Dataset<Long> generated(int partitions) {
        List<Integer> seeds = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
        return ctx.parallelize(seeds, partitions).flatMap(p -> {
            Random rnd = new Random(p);
            return IntStream.range(0, N / partitions)
                    .mapToObj(i -> rnd.nextLong())
                    .iterator();
        });
    }

    static long[] reference(int partitions) {
        long[] all = new long[N];
        int k = 0;
        for (int p = 0; p < partitions; p++) {
            Random rnd = new Random(p);
            for (int i = 0; i < N / partitions; i++) {
                all[k++] = rnd.nextLong();
            }
        }
        return all;
    }

    @Test
    void sortByKeyOfTwoMillionRecordsSpillsAndSortsExactly() {
        TaskMetrics before = ctx.metrics();
        List<Long> keys = generated(4)
                .mapToPair(x -> Pair.of(x, 1))
                .sortByKey(true, 4)
                .keys()
                .collect();
        TaskMetrics m = ctx.metrics();
        assertTrue(m.spillCount - before.spillCount > 0, "expected spills under an 8 MiB budget: " + m);
        long[] ref = reference(4);
        Arrays.sort(ref);
        assertArrayEquals(ref, keys.stream().mapToLong(Long::longValue).toArray());
    }

    @Test
    void reduceByKeyOfTwoMillionRecordsSpillsAndAggregatesExactly() {
        TaskMetrics before = ctx.metrics();
        // 500k distinct keys with 4 values each, plus one key holding 10% of the rows
        List<Pair<Long, Long>> sums = generated(4)
                .mapToPair(x -> Pair.of(Math.floorMod(x, 10) == 0 ? -1L : Math.floorMod(x, 500_000L), 1L))
                .reduceByKey(Long::sum, 3)
                .collect();
        TaskMetrics m = ctx.metrics();
        assertTrue(m.spillCount - before.spillCount > 0, "expected spills under an 8 MiB budget: " + m);
        java.util.Map<Long, Long> ref = new java.util.HashMap<>();
        for (long x : reference(4)) {
            ref.merge(Math.floorMod(x, 10) == 0 ? -1L : Math.floorMod(x, 500_000L), 1L, Long::sum);
        }
        assertEquals(ref.size(), sums.size());
        for (Pair<Long, Long> p : sums) {
            assertEquals(ref.get(p.key()), p.value(), "sum of key " + p.key());
        }
        assertEquals(0L, ctx.localExecutor().memory().used(), "every budget byte returned");
    }
}
