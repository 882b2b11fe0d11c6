package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import dev.weft.exec.TaskContext;
import dev.weft.plan.StorageLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broadcast variables, accumulators, cache/persist and checkpoints. */
class SharedVariablesTest {

    @Test
    void broadcastValuesReachTasks() {
        try (WeftContext ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"))) {
            Map<Integer, String> names = new HashMap<>();
            for (int i = 0; i < 100; i++) {
                names.put(i, "name-" + i);
            }
            Broadcast<Map<Integer, String>> b = ctx.broadcast(names);
            List<String> got = ctx.parallelize(IntStream.range(0, 100).boxed().collect(Collectors.toList()), 4)
                    .map(i -> b.value().get(i))
                    .collect();
            assertEquals(IntStream.range(0, 100).mapToObj(i -> "name-" + i).collect(Collectors.toList()), got);
            assertEquals(names, b.value());
            ctx.destroy(b);
            Dataset<String> after =
                    ctx.parallelize(List.of(1), 1).map(i -> b.value().get(i));
            RuntimeException e = assertThrows(RuntimeException.class, after::collect);
            assertTrue(e.getMessage().contains("destroyed"), e.getMessage());
        }
    }

    @Test
    void accumulatorsCountEachPartitionOnceDespiteRetries() {
        try (WeftContext ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"))) {
            LongAccumulator count = ctx.longAccumulator("count");
            DoubleAccumulator sum = ctx.doubleAccumulator("sum");
            CollectionAccumulator<String> odd = ctx.collectionAccumulator("odd");
            ctx.parallelize(IntStream.range(0, 1000).boxed().collect(Collectors.toList()), 5)
                    .foreach(x -> {
                        count.add(1L);
                        sum.add(x * 0.5);
                        if (x % 101 == 0) {
                            odd.add("x" + x);
                        }
                        if (TaskContext.get().attemptNumber() < 2 && x % 200 == 199) {
                            throw new IllegalStateException("fail late in the partition, twice");
                        }
                    });
            assertEquals(1000L, count.value());
            assertEquals(IntStream.range(0, 1000).mapToDouble(x -> x * 0.5).sum(), sum.value(), 1e-9);
            assertEquals(
                    IntStream.range(0, 1000)
                            .filter(x -> x % 101 == 0)
                            .mapToObj(x -> "x" + x)
                            .sorted()
                            .collect(Collectors.toList()),
                    odd.value().stream().sorted().collect(Collectors.toList()));
            count.add(5L);
            assertEquals(1005L, count.value(), "the driver can add too");
        }
    }

    @Test
    void cachedDatasetsAreComputedOnce() {
        try (WeftContext ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"))) {
            LongAccumulator evaluations = ctx.longAccumulator("evaluations");
            Dataset<Integer> ds = ctx.parallelize(
                            IntStream.range(0, 10_000).boxed().collect(Collectors.toList()), 4)
                    .map(x -> {
                        evaluations.add(1L);
                        return x * 2;
                    })
                    .cache();
            assertEquals(10_000, ds.count());
            assertEquals(10_000L, evaluations.value());
            assertEquals(IntStream.range(0, 10_000).map(x -> x * 2).sum(), ds.reduce(Integer::sum));
            assertEquals(10_000L, evaluations.value(), "second action reads the cache");
            assertEquals(4, ctx.localExecutor().blockManager().memoryBlocks());
            ds.unpersist();
            assertEquals(0, ctx.localExecutor().blockManager().memoryBlocks());
            assertEquals(10_000, ds.count());
            assertEquals(20_000L, evaluations.value(), "recomputed after unpersist");
        }
    }

    @Test
    void memoryAndDiskSpillsCachedPartitionsThatDoNotFit() {
        WeftConf conf = WeftConf.defaults().with("weft.local.threads", "2").with("weft.memory.budget", "256k");
        try (WeftContext ctx = new WeftContext(conf)) {
            LongAccumulator evaluations = ctx.longAccumulator("evaluations");
            Dataset<String> big = ctx.parallelize(
                            IntStream.range(0, 40_000).boxed().collect(Collectors.toList()), 2)
                    .map(x -> {
                        evaluations.add(1L);
                        return "a fairly long string value for record number " + x;
                    })
                    .persist(StorageLevel.MEMORY_AND_DISK);
            List<String> first = big.collect();
            assertEquals(40_000, first.size());
            assertEquals(first, big.collect());
            assertEquals(40_000L, evaluations.value(), "disk-cached partitions are not recomputed");
            assertTrue(ctx.localExecutor().blockManager().diskBlocks() > 0);

            Dataset<String> memOnly = ctx.parallelize(
                            IntStream.range(0, 40_000).boxed().collect(Collectors.toList()), 2)
                    .map(x -> {
                        evaluations.add(1L);
                        return "another long string for record number " + x;
                    })
                    .persist(StorageLevel.MEMORY_ONLY);
            assertEquals(40_000, memOnly.count());
            assertEquals(40_000, memOnly.count());
            assertEquals(40_000L + 80_000L, evaluations.value(), "MEMORY_ONLY partitions over budget are recomputed");
            assertEquals(0L, ctx.localExecutor().memory().used(), "nothing fit in memory, and nothing leaked");
        }
    }

    @Test
    void checkpointCutsLineageAndKeepsResults(@TempDir Path dir) throws Exception {
        try (WeftContext ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"))) {
            ctx.setCheckpointDir(dir.toString());
            LongAccumulator evaluations = ctx.longAccumulator("evaluations");
            PairDataset<Integer, Long> sums = ctx.parallelize(
                            IntStream.range(0, 3000).boxed().collect(Collectors.toList()), 3)
                    .mapToPair(x -> {
                        evaluations.add(1L);
                        return Pair.of(x % 10, (long) x);
                    })
                    .reduceByKey(Long::sum, 2);
            sums.checkpoint();
            Map<Integer, Long> ref = new TreeMap<>();
            IntStream.range(0, 3000).forEach(x -> ref.merge(x % 10, (long) x, Long::sum));
            assertEquals(ref, new TreeMap<>(sums.collectAsMap()));
            assertTrue(sums.isCheckpointed());
            assertTrue(sums.node().dependencies().isEmpty(), "lineage cut");
            try (var files = Files.list(dir.resolve("node-" + sums.id()))) {
                assertEquals(
                        2,
                        files.filter(p -> p.getFileName().toString().startsWith("part-"))
                                .count());
            }
            long before = evaluations.value();
            assertEquals(ref, new TreeMap<>(sums.mapValues(v -> v).collectAsMap()));
            assertEquals(before, evaluations.value(), "reading the checkpoint computes nothing upstream");
        }
    }
}
