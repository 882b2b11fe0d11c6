package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.core.HashPartitioner;
import dev.weft.core.Pair;
import dev.weft.core.Partitioner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operator against a plain-Java computation of the same result, on data with empty partitions and
 * a skewed key (90% of the rows).
 */
class OperatorsTest {
    static WeftContext ctx;
    static List<Pair<String, Integer>> skewed;
    static List<Pair<String, Integer>> other;

    @BeforeAll
    static void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "3"));
        Random rnd = new Random(7);
        skewed = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String k = rnd.nextDouble() < 0.9 ? "hot" : "k" + rnd.nextInt(500);
            skewed.add(Pair.of(k, rnd.nextInt(1000) - 500));
        }
        other = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            other.add(Pair.of("k" + rnd.nextInt(800), rnd.nextInt(50)));
        }
        other.add(Pair.of("hot", 1));
        other.add(Pair.of("hot", 2));
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    static <T> List<T> sorted(List<T> l, Comparator<? super T> c) {
        List<T> copy = new ArrayList<>(l);
        copy.sort(c);
        return copy;
    }

    static final Comparator<Pair<String, Integer>> BY_KEY_VALUE =
            Comparator.comparing((Pair<String, Integer> p) -> p.key()).thenComparing(Pair::value);

    static Map<String, List<Integer>> groupRef(List<Pair<String, Integer>> data) {
        Map<String, List<Integer>> m = new TreeMap<>();
        for (Pair<String, Integer> p : data) {
            m.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p.value());
        }
        return m;
    }

    @Test
    void narrowTransformations() {
        List<Integer> nums = IntStream.range(0, 10_000).boxed().collect(Collectors.toList());
        Dataset<Integer> ds = ctx.parallelize(nums, 7);
        assertEquals(
                nums.stream().map(x -> x * 3).collect(Collectors.toList()),
                ds.map(x -> x * 3).collect());
        assertEquals(
                nums.stream().filter(x -> x % 7 == 0).collect(Collectors.toList()),
                ds.filter(x -> x % 7 == 0).collect());
        assertEquals(
                nums.stream()
                        .flatMap(x -> x % 3 == 0 ? List.of(x, -x).stream() : List.<Integer>of().stream())
                        .collect(Collectors.toList()),
                ds.flatMap(x -> x % 3 == 0 ? List.of(x, -x).iterator() : Collections.emptyIterator())
                        .collect());
        List<Long> sums = ds.mapPartitions(it -> {
                    long s = 0;
                    while (it.hasNext()) {
                        s += it.next();
                    }
                    return List.of(s).iterator();
                })
                .collect();
        assertEquals(7, sums.size());
        assertEquals(
                nums.stream().mapToLong(x -> x).sum(),
                sums.stream().mapToLong(x -> x).sum());
        List<Pair<Integer, Integer>> indexed = ds.mapPartitionsWithIndex((i, it) -> {
                    List<Pair<Integer, Integer>> out = new ArrayList<>();
                    it.forEachRemaining(v -> out.add(Pair.of(i, v)));
                    return out.iterator();
                })
                .collect();
        // parallelize slices contiguously: partition i holds [i*n/7, (i+1)*n/7)
        for (Pair<Integer, Integer> p : indexed) {
            int i = p.key();
            assertTrue(
                    (long) i * nums.size() / 7 <= p.value() && p.value() < (long) (i + 1) * nums.size() / 7,
                    "partition " + i + " holds " + p.value());
        }
        List<Integer> both = new ArrayList<>(nums);
        both.addAll(nums.subList(0, 10));
        assertEquals(both, ds.union(ctx.parallelize(nums.subList(0, 10), 2)).collect());
        assertEquals(9, ds.union(ctx.parallelize(nums.subList(0, 10), 2)).numPartitions());
        assertEquals(
                nums.stream().map(x -> Pair.of(x % 10, x)).collect(Collectors.toList()),
                ds.keyBy(x -> x % 10).collect());
        assertEquals(
                nums.stream().map(x -> Pair.of("n" + x, x)).collect(Collectors.toList()),
                ds.mapToPair(x -> Pair.of("n" + x, x)).collect());
    }

    @Test
    void pairValueTransformations() {
        PairDataset<String, Integer> ds = ctx.parallelizePairs(skewed, 5);
        assertEquals(
                skewed.stream().map(p -> Pair.of(p.key(), p.value() * 2L)).collect(Collectors.toList()),
                ds.mapValues(v -> v * 2L).collect());
        assertEquals(
                skewed.stream()
                        .flatMap(p -> List.of(Pair.of(p.key(), p.value()), Pair.of(p.key(), -p.value())).stream())
                        .collect(Collectors.toList()),
                ds.flatMapValues(v -> List.of(v, -v).iterator()).collect());
        assertEquals(
                skewed.stream().map(Pair::key).collect(Collectors.toList()),
                ds.keys().collect());
        assertEquals(
                skewed.stream().map(Pair::value).collect(Collectors.toList()),
                ds.values().collect());
    }

    @Test
    void distinctAndSample() {
        List<Integer> nums = new Random(3).ints(5000, 0, 300).boxed().collect(Collectors.toList());
        Dataset<Integer> ds = ctx.parallelize(nums, 6);
        assertEquals(new HashSet<>(nums), new HashSet<>(ds.distinct().collect()));
        assertEquals(new HashSet<>(nums).size(), ds.distinct(4).count());

        Dataset<Integer> all =
                ctx.parallelize(IntStream.range(0, 20_000).boxed().collect(Collectors.toList()), 4);
        List<Integer> s1 = all.sample(false, 0.1, 99).collect();
        assertEquals(s1, all.sample(false, 0.1, 99).collect(), "same seed, same sample");
        assertTrue(s1.size() > 1700 && s1.size() < 2300, "about 10% kept: " + s1.size());
        assertEquals(s1.size(), new HashSet<>(s1).size(), "without replacement: no duplicates");
        List<Integer> s2 = all.sample(true, 2.0, 5).collect();
        assertTrue(s2.size() > 38_000 && s2.size() < 42_000, "about 2x with replacement: " + s2.size());
        assertTrue(new HashSet<>(s2).size() < s2.size(), "with replacement repeats records");
    }

    @Test
    void aggregationsMatchReferenceOnSkewedKeys() {
        PairDataset<String, Integer> ds = ctx.parallelizePairs(skewed, 6);
        Map<String, List<Integer>> groups = groupRef(skewed);
        Map<String, Integer> sums = new TreeMap<>();
        groups.forEach((k, vs) -> sums.put(k, vs.stream().mapToInt(x -> x).sum()));

        assertEquals(sums, new TreeMap<>(ds.reduceByKey(Integer::sum).collectAsMap()));
        assertEquals(sums, new TreeMap<>(ds.reduceByKey(Integer::sum, 3).collectAsMap()));
        assertEquals(3, ds.reduceByKey(Integer::sum, 3).numPartitions());

        Map<String, Pair<Integer, Integer>> minMax = new TreeMap<>();
        groups.forEach((k, vs) -> minMax.put(k, Pair.of(Collections.min(vs), Collections.max(vs))));
        assertEquals(
                minMax,
                new TreeMap<>(ds.aggregateByKey(
                                Pair.of(Integer.MAX_VALUE, Integer.MIN_VALUE),
                                (acc, v) -> Pair.of(Math.min(acc.key(), v), Math.max(acc.value(), v)),
                                (a, b) -> Pair.of(Math.min(a.key(), b.key()), Math.max(a.value(), b.value())))
                        .collectAsMap()));

        Map<String, Pair<Long, Integer>> sumCount = new TreeMap<>();
        groups.forEach((k, vs) ->
                sumCount.put(k, Pair.of(vs.stream().mapToLong(x -> x).sum(), vs.size())));
        assertEquals(
                sumCount,
                new TreeMap<>(ds.combineByKey(
                                v -> Pair.of((long) v, 1),
                                (c, v) -> Pair.of(c.key() + v, c.value() + 1),
                                (a, b) -> Pair.of(a.key() + b.key(), a.value() + b.value()),
                                4)
                        .collectAsMap()));

        Map<String, List<Integer>> grouped = new TreeMap<>();
        for (Pair<String, List<Integer>> p : ds.groupByKey(5).collect()) {
            List<Integer> vs = new ArrayList<>(p.value());
            Collections.sort(vs);
            assertEquals(null, grouped.put(p.key(), vs), "each key once");
        }
        Map<String, List<Integer>> refSorted = new TreeMap<>();
        groups.forEach((k, vs) -> refSorted.put(k, sorted(vs, Comparator.naturalOrder())));
        assertEquals(refSorted, grouped);

        Map<String, Long> counts = new TreeMap<>();
        groups.forEach((k, vs) -> counts.put(k, (long) vs.size()));
        assertEquals(counts, new TreeMap<>(ds.countByKey()));
    }

    @Test
    void cogroupAndJoinsMatchReference() {
        PairDataset<String, Integer> left = ctx.parallelizePairs(skewed, 4);
        PairDataset<String, Integer> right = ctx.parallelizePairs(other, 3);
        Map<String, List<Integer>> lg = groupRef(skewed);
        Map<String, List<Integer>> rg = groupRef(other);
        Set<String> keys = new HashSet<>(lg.keySet());
        keys.addAll(rg.keySet());

        Map<String, Pair<List<Integer>, List<Integer>>> cg = new TreeMap<>();
        for (Pair<String, Pair<List<Integer>, List<Integer>>> p :
                left.cogroup(right, 5).collect()) {
            cg.put(
                    p.key(),
                    Pair.of(
                            sorted(p.value().key(), Comparator.naturalOrder()),
                            sorted(p.value().value(), Comparator.naturalOrder())));
        }
        Map<String, Pair<List<Integer>, List<Integer>>> cgRef = new TreeMap<>();
        for (String k : keys) {
            cgRef.put(
                    k,
                    Pair.of(
                            sorted(lg.getOrDefault(k, List.of()), Comparator.naturalOrder()),
                            sorted(rg.getOrDefault(k, List.of()), Comparator.naturalOrder())));
        }
        assertEquals(cgRef, cg);

        List<String> inner = new ArrayList<>();
        List<String> leftOuter = new ArrayList<>();
        List<String> rightOuter = new ArrayList<>();
        List<String> fullOuter = new ArrayList<>();
        for (String k : keys) {
            List<Integer> vs = lg.getOrDefault(k, List.of());
            List<Integer> ws = rg.getOrDefault(k, List.of());
            for (Integer v : vs) {
                for (Integer w : ws) {
                    String s = k + "|" + v + "|" + w;
                    inner.add(s);
                    leftOuter.add(s);
                    rightOuter.add(s);
                    fullOuter.add(s);
                }
                if (ws.isEmpty()) {
                    leftOuter.add(k + "|" + v + "|null");
                    fullOuter.add(k + "|" + v + "|null");
                }
            }
            if (vs.isEmpty()) {
                for (Integer w : ws) {
                    rightOuter.add(k + "|null|" + w);
                    fullOuter.add(k + "|null|" + w);
                }
            }
        }
        assertEquals(
                sorted(inner, Comparator.naturalOrder()),
                flatten(left.join(right).collect()));
        assertEquals(
                sorted(leftOuter, Comparator.naturalOrder()),
                flatten(left.leftOuterJoin(right, 3).collect()));
        assertEquals(
                sorted(rightOuter, Comparator.naturalOrder()),
                flatten(left.rightOuterJoin(right).collect()));
        assertEquals(
                sorted(fullOuter, Comparator.naturalOrder()),
                flatten(left.fullOuterJoin(right, 2).collect()));
    }

    static List<String> flatten(List<Pair<String, Pair<Integer, Integer>>> joined) {
        return joined.stream()
                .map(p -> p.key() + "|" + p.value().key() + "|" + p.value().value())
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void byteArrayKeysSortAsUnsignedBytes() {
        // TeraSort's keys: 10 random bytes, so zero bytes and bytes >= 0x80 (negative as Java bytes) abound.
        Random rnd = new Random(17);
        List<Pair<byte[], Integer>> data = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            byte[] k = new byte[1 + rnd.nextInt(10)];
            rnd.nextBytes(k);
            data.add(Pair.of(k, i));
        }
        List<Pair<byte[], Integer>> ref = new ArrayList<>(data);
        ref.sort((a, b) -> java.util.Arrays.compareUnsigned(a.key(), b.key()));
        for (boolean ascending : new boolean[] {true, false}) {
            List<Pair<byte[], Integer>> got =
                    ctx.parallelizePairs(data, 4).sortByKey(ascending, 3).collect();
            List<String> expected = new ArrayList<>();
            for (Pair<byte[], Integer> p : ref) {
                expected.add(java.util.HexFormat.of().formatHex(p.key()));
            }
            if (!ascending) {
                Collections.reverse(expected);
            }
            List<String> keys = got.stream()
                    .map(p -> java.util.HexFormat.of().formatHex(p.key()))
                    .toList();
            assertEquals(expected, keys, ascending ? "ascending" : "descending");
        }
    }

    @Test
    void sortByKeyInBothDirectionsAndWithAComparator() {
        Random rnd = new Random(11);
        List<Pair<Integer, String>> data = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            data.add(Pair.of(rnd.nextInt(100_000) - 50_000, "v" + i));
        }
        PairDataset<Integer, String> ds = ctx.parallelizePairs(data, 6);
        List<Integer> ascRef = data.stream().map(Pair::key).sorted().collect(Collectors.toList());
        PairDataset<Integer, String> asc = ds.sortByKey(true, 4);
        assertEquals(ascRef, asc.keys().collect());
        assertEquals(
                sorted(
                        data,
                        Comparator.comparing((Pair<Integer, String> p) -> p.key())
                                .thenComparing(Pair::value)),
                sorted(
                        asc.collect(),
                        Comparator.comparing((Pair<Integer, String> p) -> p.key())
                                .thenComparing(Pair::value)));
        List<Integer> descRef = new ArrayList<>(ascRef);
        Collections.reverse(descRef);
        assertEquals(descRef, ds.sortByKey(false, 5).keys().collect());

        // by absolute value, through a user comparator (keys compared as objects)
        Comparator<Integer> byAbs =
                (Comparator<Integer> & java.io.Serializable) (a, b) -> Integer.compare(Math.abs(a), Math.abs(b));
        List<Integer> absKeys = ds.sortByKey(byAbs, true, 3).keys().collect();
        for (int i = 1; i < absKeys.size(); i++) {
            assertTrue(Math.abs(absKeys.get(i - 1)) <= Math.abs(absKeys.get(i)), "sorted by |key| at " + i);
        }
        assertEquals(sorted(ascRef, Comparator.naturalOrder()), sorted(absKeys, Comparator.naturalOrder()));

        List<Pair<String, Integer>> words = skewed.subList(0, 2000);
        assertEquals(
                sorted(words, BY_KEY_VALUE).stream().map(Pair::key).collect(Collectors.toList()),
                ctx.parallelizePairs(words, 3).sortByKey().keys().collect());
    }

    @Test
    void partitioningOperators() {
        PairDataset<String, Integer> ds = ctx.parallelizePairs(skewed, 4);
        HashPartitioner hp = new HashPartitioner(6);
        PairDataset<String, Integer> byKey = ds.partitionBy(hp);
        assertEquals(6, byKey.numPartitions());
        List<Pair<Integer, String>> placed = byKey.mapPartitionsWithIndex((i, it) -> {
                    List<Pair<Integer, String>> out = new ArrayList<>();
                    it.forEachRemaining(p -> out.add(Pair.of(i, p.key())));
                    return out.iterator();
                })
                .collect();
        assertEquals(skewed.size(), placed.size());
        for (Pair<Integer, String> p : placed) {
            assertEquals(hp.partition(p.value()), (int) p.key());
        }
        assertEquals(sorted(skewed, BY_KEY_VALUE), sorted(byKey.collect(), BY_KEY_VALUE));
        // a user-defined partitioner: by the key's first letter
        Partitioner firstLetter = new FirstLetterPartitioner();
        List<Integer> sizes = ds.partitionBy(firstLetter)
                .mapPartitions(it -> {
                    int n = 0;
                    while (it.hasNext()) {
                        it.next();
                        n++;
                    }
                    return List.of(n).iterator();
                })
                .collect();
        assertEquals(skewed.stream().filter(p -> p.key().startsWith("h")).count(), (long) sizes.get('h' - 'a'));

        Dataset<Integer> nums = ctx.parallelize(IntStream.range(0, 9000).boxed().collect(Collectors.toList()), 3);
        Dataset<Integer> re = nums.repartition(7);
        assertEquals(7, re.numPartitions());
        assertEquals(
                IntStream.range(0, 9000).boxed().collect(Collectors.toList()),
                sorted(re.collect(), Comparator.naturalOrder()));
        List<Integer> reSizes = re.mapPartitions(it -> {
                    int n = 0;
                    while (it.hasNext()) {
                        it.next();
                        n++;
                    }
                    return List.of(n).iterator();
                })
                .collect();
        for (int s : reSizes) {
            assertTrue(Math.abs(s - 9000 / 7) <= 3, "round-robin balance: " + reSizes);
        }
        Dataset<Integer> co = nums.repartition(8).coalesce(3);
        assertEquals(3, co.numPartitions());
        assertEquals(
                IntStream.range(0, 9000).boxed().collect(Collectors.toList()),
                sorted(co.collect(), Comparator.naturalOrder()));
        assertEquals(5, nums.coalesce(5, true).numPartitions());
    }

    @Test
    void actions() {
        List<Integer> nums = IntStream.rangeClosed(1, 5000).boxed().collect(Collectors.toList());
        Dataset<Integer> ds = ctx.parallelize(nums, 6);
        assertEquals(5000, ds.count());
        assertEquals(nums.stream().mapToInt(x -> x).sum(), ds.reduce(Integer::sum));
        assertEquals(nums.stream().mapToInt(x -> x).sum(), ds.fold(0, Integer::sum));
        Pair<Integer, Long> agg = ds.aggregate(
                Pair.of(0, 0L),
                (acc, v) -> Pair.of(acc.key() + 1, acc.value() + v),
                (a, b) -> Pair.of(a.key() + b.key(), a.value() + b.value()));
        assertEquals(Pair.of(5000, 5000L * 5001 / 2), agg);
        assertEquals(nums.subList(0, 10), ds.take(10));
        assertEquals(nums.subList(0, 2000), ds.take(2000));
        assertEquals(nums, ds.take(100_000));
        assertEquals(1, ds.first());
        LongAccumulator seen = ctx.longAccumulator("seen");
        ds.foreach(v -> seen.add(v));
        assertEquals(5000L * 5001 / 2, seen.value());
        CollectionAccumulator<Integer> sizes = ctx.collectionAccumulator("sizes");
        ds.foreachPartition(it -> {
            int n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            sizes.add(n);
        });
        assertEquals(5000, sizes.value().stream().mapToInt(x -> x).sum());
        assertEquals(6, sizes.value().size());
    }

    @Test
    void emptyPartitionsAndEmptyDatasets() {
        List<Pair<String, Integer>> three = List.of(Pair.of("a", 1), Pair.of("b", 2), Pair.of("a", 3));
        PairDataset<String, Integer> sparse = ctx.parallelizePairs(three, 8);
        assertEquals(
                Map.of("a", 4, "b", 2), sparse.reduceByKey(Integer::sum, 10).collectAsMap());
        assertEquals(List.of("a", "a", "b"), sparse.sortByKey(true, 6).keys().collect());
        assertEquals(3, sparse.groupByKey(9).values().map(List::size).reduce(Integer::sum));
        Dataset<Integer> empty = ctx.parallelize(List.<Integer>of(), 4);
        assertEquals(0, empty.count());
        assertEquals(List.of(), empty.collect());
        assertEquals(0, empty.fold(0, Integer::sum));
        assertEquals(List.of(), empty.take(3));
        assertThrows(java.util.NoSuchElementException.class, () -> empty.reduce(Integer::sum));
        assertThrows(java.util.NoSuchElementException.class, empty::first);
        assertEquals(
                Map.of(),
                empty.mapToPair(x -> Pair.of(x, x)).reduceByKey(Integer::sum).collectAsMap());
        assertEquals(List.of(), empty.mapToPair(x -> Pair.of(x, x)).sortByKey().collect());
    }

    @Test
    void severalShufflesInOneJob() {
        PairDataset<String, Integer> ds = ctx.parallelizePairs(skewed, 5);
        // reduce -> re-key by sum bucket -> group -> join with counts -> sort
        PairDataset<String, Integer> sums = ds.reduceByKey(Integer::sum, 4);
        PairDataset<Integer, String> bucketed = sums.mapToPair(p -> Pair.of(Math.floorMod(p.value(), 7), p.key()));
        PairDataset<Integer, Integer> sizes = bucketed.groupByKey(3).mapValues(List::size);
        PairDataset<Integer, Long> counts = bucketed.mapValues(k -> 1L).reduceByKey(Long::sum, 2);
        List<Pair<Integer, Pair<Integer, Long>>> got =
                sizes.join(counts, 3).sortByKey().collect();

        Map<String, Integer> sumRef = new HashMap<>();
        skewed.forEach(p -> sumRef.merge(p.key(), p.value(), Integer::sum));
        Map<Integer, Integer> bucketRef = new TreeMap<>();
        sumRef.values().forEach(v -> bucketRef.merge(Math.floorMod(v, 7), 1, Integer::sum));
        List<Pair<Integer, Pair<Integer, Long>>> ref = new ArrayList<>();
        bucketRef.forEach((b, n) -> ref.add(Pair.of(b, Pair.of(n, (long) n))));
        assertEquals(ref, got);
    }

    @Test
    void iteratorsAreLazy() {
        // take(1) of a huge flatMap must not materialize it
        Dataset<Integer> one = ctx.parallelize(List.of(1), 1);
        List<Integer> first = one.flatMap(x -> endless()).take(3);
        assertEquals(List.of(0, 1, 2), first);
    }

    static Iterator<Integer> endless() {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < Integer.MAX_VALUE;
            }

            @Override
            public Integer next() {
                return i++;
            }
        };
    }

    /** A user-defined partitioner: by the key's first letter. */
    static final class FirstLetterPartitioner implements Partitioner {
        @Override
        public int numPartitions() {
            return 26;
        }

        @Override
        public int partition(Object key) {
            return ((String) key).charAt(0) - 'a';
        }
    }
}
