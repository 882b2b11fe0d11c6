package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Shuffles under small memory budgets with two task threads, more partitions than threads, and one key
 * holding about half of all rows: no task may fail because another one holds the budget, and every result
 * equals a plain-Java computation of it. Each operator runs {@value #ROUNDS} times per budget (different
 * data each round) because the defect this guards against is a race between the tasks; a task attempt is
 * allowed once ({@code weft.task.max-attempts=1}), so a retry cannot hide a failure.
 */
class SkewedSpillTest {
    static final int ROUNDS = 4;
    static final int ROWS_PER_PARTITION = 20_000;
    static final int MAP_PARTITIONS = 6;
    static final int REDUCE_PARTITIONS = 5;
    static final int DISTINCT_KEYS = 3_000;
    static final int SKEWED_KEY = 0;
    static final String[] BUDGETS = {"256k", "512k"};

    static final List<WeftContext> contexts = new ArrayList<>();

    @BeforeAll
    static void start() {
        for (String budget : BUDGETS) {
            contexts.add(new WeftContext(WeftConf.defaults()
                    .with("weft.local.threads", "2")
                    .with("weft.memory.budget", budget)
                    .with("weft.task.max-attempts", "1")));
        }
    }

    @AfterAll
    static void stop() {
        contexts.forEach(WeftContext::close);
    }

    /** Row {@code i} of a partition: half of the rows have the skewed key, the rest spread evenly. */
    static List<Pair<Integer, Long>> partitionRows(int round, int partition) {
        Random rnd = new Random(round * 1_000L + partition);
        List<Pair<Integer, Long>> rows = new ArrayList<>(ROWS_PER_PARTITION);
        for (int i = 0; i < ROWS_PER_PARTITION; i++) {
            int key = rnd.nextBoolean() ? SKEWED_KEY : 1 + rnd.nextInt(DISTINCT_KEYS);
            rows.add(Pair.of(key, rnd.nextLong()));
        }
        return rows;
    }

    static List<Pair<Integer, Long>> allRows(int round) {
        List<Pair<Integer, Long>> all = new ArrayList<>();
        for (int p = 0; p < MAP_PARTITIONS; p++) {
            all.addAll(partitionRows(round, p));
        }
        return all;
    }

    /** The big side, generated inside the tasks so that the driver's list is not what gets shuffled. */
    static PairDataset<Integer, Long> skewed(WeftContext ctx, int round) {
        List<Integer> parts = IntStream.range(0, MAP_PARTITIONS).boxed().collect(Collectors.toList());
        return ctx.parallelize(parts, MAP_PARTITIONS)
                .flatMap(p -> partitionRows(round, p).iterator())
                .mapToPair(r -> r);
    }

    /** The small side: the skewed key twice, every key not 1 mod 3 once (so an outer join has misses). */
    static List<Pair<Integer, String>> smallRows() {
        List<Pair<Integer, String>> rows = new ArrayList<>();
        rows.add(Pair.of(SKEWED_KEY, "s0"));
        rows.add(Pair.of(SKEWED_KEY, "s1"));
        for (int k = 1; k <= DISTINCT_KEYS; k++) {
            if (k % 3 != 1) {
                rows.add(Pair.of(k, "s" + k));
            }
        }
        return rows;
    }

    /** A result as key -> sorted rendered values, so that value order within a key does not matter. */
    static <K, V> Map<K, List<String>> canonical(List<Pair<K, V>> pairs, Function<V, String> render) {
        Map<K, List<String>> out = new TreeMap<>();
        for (Pair<K, V> p : pairs) {
            out.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(render.apply(p.value()));
        }
        out.values().forEach(Collections::sort);
        return out;
    }

    /** The values rendered as strings, sorted, in one string: order within a group does not matter. */
    static String sortedList(List<?> values) {
        return values.stream().map(String::valueOf).sorted().collect(Collectors.joining(",", "[", "]"));
    }

    interface Round {
        void run(WeftContext ctx, int round);
    }

    /** Runs {@code round} for every budget and round; checks no attempt failed and every byte came back. */
    static void everyBudget(Round round) {
        for (WeftContext ctx : contexts) {
            long failedBefore = ctx.counters().tasksFailed();
            long spillsBefore = ctx.metrics().spillCount;
            for (int r = 0; r < ROUNDS; r++) {
                round.run(ctx, r);
            }
            assertEquals(failedBefore, ctx.counters().tasksFailed(), "task attempts failed");
            assertTrue(ctx.metrics().spillCount > spillsBefore, "the budget was too large to make tasks spill");
            assertEquals(0L, ctx.localExecutor().memory().used(), "every budget byte returned");
        }
    }

    /**
     * A value four times the whole budget, among small records under the same and other keys: it is written
     * through (a spill run of its own), and both a sort and a grouping return it intact.
     */
    @Test
    void recordLargerThanTheWholeBudgetIsWrittenThrough() {
        WeftContext ctx = contexts.get(0);
        assertEquals(256 * 1024, ctx.localExecutor().memory().capacity());
        byte[] huge = new byte[1 << 20];
        new Random(7).nextBytes(huge);
        List<Pair<Integer, byte[]>> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            rows.add(Pair.of(i % 10, new byte[] {(byte) i}));
        }
        rows.add(1_000, Pair.of(3, huge));
        long failedBefore = ctx.counters().tasksFailed();

        List<Pair<Integer, byte[]>> sorted =
                ctx.parallelizePairs(rows, 4).sortByKey(true, 3).collect();
        assertEquals(rows.size(), sorted.size());
        assertEquals(canonical(rows, Arrays::toString), canonical(sorted, Arrays::toString));

        Map<Integer, List<byte[]>> grouped = new TreeMap<>();
        for (Pair<Integer, List<byte[]>> g :
                ctx.parallelizePairs(rows, 4).groupByKey(3).collect()) {
            grouped.put(g.key(), g.value());
        }
        assertEquals(10, grouped.size());
        assertEquals(
                1, grouped.get(3).stream().filter(v -> Arrays.equals(v, huge)).count(), "the huge value, intact");
        assertEquals(201, grouped.get(3).size());
        assertEquals(failedBefore, ctx.counters().tasksFailed(), "task attempts failed");
        assertEquals(0L, ctx.localExecutor().memory().used(), "every budget byte returned");
    }

    @Test
    void sortByKey() {
        everyBudget((ctx, round) -> {
            List<Pair<Integer, Long>> got =
                    skewed(ctx, round).sortByKey(true, REDUCE_PARTITIONS).collect();
            for (int i = 1; i < got.size(); i++) {
                assertTrue(got.get(i - 1).key() <= got.get(i).key(), "keys out of order at " + i);
            }
            assertEquals(canonical(allRows(round), String::valueOf), canonical(got, String::valueOf));
        });
    }

    @Test
    void reduceByKey() {
        everyBudget((ctx, round) -> {
            Map<Integer, Long> expected = new TreeMap<>();
            for (Pair<Integer, Long> r : allRows(round)) {
                expected.merge(r.key(), r.value(), Long::sum);
            }
            Map<Integer, Long> got = new TreeMap<>();
            for (Pair<Integer, Long> p :
                    skewed(ctx, round).reduceByKey(Long::sum, REDUCE_PARTITIONS).collect()) {
                assertEquals(null, got.put(p.key(), p.value()), "key " + p.key() + " twice");
            }
            assertEquals(expected, got);
        });
    }

    @Test
    void groupByKey() {
        everyBudget((ctx, round) -> {
            List<Pair<Integer, List<Long>>> got =
                    skewed(ctx, round).groupByKey(REDUCE_PARTITIONS).collect();
            Map<Integer, List<String>> grouped = canonical(got, SkewedSpillTest::sortedList);
            got.forEach(p -> assertEquals(1, grouped.get(p.key()).size(), "key " + p.key() + " twice"));
            Map<Integer, List<Long>> expected = new TreeMap<>();
            for (Pair<Integer, Long> r : allRows(round)) {
                expected.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
            }
            Map<Integer, List<String>> expectedCanonical = new TreeMap<>();
            expected.forEach((k, vs) -> expectedCanonical.put(k, List.of(sortedList(vs))));
            assertEquals(expectedCanonical, grouped);
        });
    }

    @Test
    void join() {
        everyBudget((ctx, round) -> {
            List<Pair<Integer, Pair<Long, String>>> got = skewed(ctx, round)
                    .join(ctx.parallelizePairs(smallRows(), 3), REDUCE_PARTITIONS)
                    .collect();
            assertEquals(canonical(joinReference(round, false), String::valueOf), canonical(got, String::valueOf));
        });
    }

    @Test
    void leftOuterJoin() {
        everyBudget((ctx, round) -> {
            List<Pair<Integer, Pair<Long, String>>> got = skewed(ctx, round)
                    .leftOuterJoin(ctx.parallelizePairs(smallRows(), 3), REDUCE_PARTITIONS)
                    .collect();
            assertEquals(canonical(joinReference(round, true), String::valueOf), canonical(got, String::valueOf));
        });
    }

    static List<Pair<Integer, Pair<Long, String>>> joinReference(int round, boolean keepLeft) {
        Map<Integer, List<String>> right = new TreeMap<>();
        for (Pair<Integer, String> s : smallRows()) {
            right.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s.value());
        }
        List<Pair<Integer, Pair<Long, String>>> out = new ArrayList<>();
        for (Pair<Integer, Long> r : allRows(round)) {
            List<String> matches = right.get(r.key());
            if (matches != null) {
                matches.forEach(w -> out.add(Pair.of(r.key(), Pair.of(r.value(), w))));
            } else if (keepLeft) {
                out.add(Pair.of(r.key(), Pair.of(r.value(), null)));
            }
        }
        return out;
    }

    @Test
    void cogroup() {
        everyBudget((ctx, round) -> {
            List<Pair<Integer, Pair<List<Long>, List<String>>>> got = skewed(ctx, round)
                    .cogroup(ctx.parallelizePairs(smallRows(), 3), REDUCE_PARTITIONS)
                    .collect();
            Map<Integer, List<String>> left = new TreeMap<>();
            for (Pair<Integer, Long> r : allRows(round)) {
                left.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(String.valueOf(r.value()));
            }
            Map<Integer, List<String>> right = new TreeMap<>();
            for (Pair<Integer, String> s : smallRows()) {
                right.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s.value());
            }
            Map<Integer, List<String>> expected = new TreeMap<>();
            for (int k = 0; k <= DISTINCT_KEYS; k++) {
                List<String> l = left.getOrDefault(k, List.of());
                List<String> r = right.getOrDefault(k, List.of());
                if (!l.isEmpty() || !r.isEmpty()) {
                    expected.put(k, List.of(sortedList(l) + "|" + sortedList(r)));
                }
            }
            assertEquals(expected, canonical(got, g -> sortedList(g.key()) + "|" + sortedList(g.value())));
        });
    }
}
