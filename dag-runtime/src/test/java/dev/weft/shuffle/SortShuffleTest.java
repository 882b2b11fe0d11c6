package dev.weft.shuffle;

import static dev.weft.shuffle.ShuffleTestSupport.readPartition;
import static dev.weft.shuffle.ShuffleTestSupport.spec;
import static dev.weft.shuffle.ShuffleTestSupport.sumAggregator;
import static dev.weft.shuffle.ShuffleTestSupport.writeMaps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.Pair;
import dev.weft.memory.MemoryBudget;
import dev.weft.metrics.TaskMetrics;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Writes map outputs with {@link SortShuffleWriter}, reads every reduce partition back with
 * {@link ShuffleReader}, and checks the result against plain-Java computations over the same input.
 */
class SortShuffleTest {
    private static final long BIG_BUDGET = 64L << 20;

    @TempDir
    Path dir;

    /** How many base directories {@link #files()} spreads map outputs over (one local disk each, on a node). */
    private int dirs = 1;

    private ShuffleFiles files() {
        if (dirs == 1) {
            return new ShuffleFiles(dir.resolve("shuffle"));
        }
        List<Path> all = new ArrayList<>();
        for (int i = 0; i < dirs; i++) {
            all.add(dir.resolve("disk" + i).resolve("shuffle"));
        }
        return new ShuffleFiles(all);
    }

    @Test
    void mapOutputsSpreadOverEveryDirectoryWithTheirSpillsAndReadBackExactly() throws IOException {
        dirs = 3;
        ShuffleSpec spec = spec(3, 5, KeyOrdering.SORTED, null, sumAggregator(), false);
        TaskMetrics metrics = new TaskMetrics();
        roundTrip(spec, words(6, 20_000, 5_000, 11), 256 * 1024, NATURAL, metrics);
        assertTrue(metrics.spillCount > 0, "spills: " + metrics);
        for (Path d : files().baseDirs()) {
            try (Stream<Path> s = Files.list(d)) {
                List<String> names =
                        s.map(p -> p.getFileName().toString()).sorted().toList();
                assertEquals(4, names.size(), "two map outputs (data and index) per directory: " + names);
                for (String n : names) {
                    assertTrue(n.endsWith(".data") || n.endsWith(".index"), "no temporary or spill file left: " + n);
                }
            }
        }
        for (int map = 0; map < 6; map++) {
            assertEquals(
                    files().dataFile(3, map, 0).getParent(),
                    files().indexFile(3, map, 0).getParent());
        }
        assertEquals(12, files().deleteShuffle(3), "every file of the shuffle, in every directory");
    }

    private Path tmp() {
        return dir.resolve("tmp");
    }

    /** Random word keys (some repeated often) with long values, split over {@code maps} map tasks. */
    private static List<List<Pair<Object, Object>>> words(int maps, int perMap, int distinct, long seed) {
        Random r = new Random(seed);
        List<List<Pair<Object, Object>>> out = new ArrayList<>();
        for (int m = 0; m < maps; m++) {
            List<Pair<Object, Object>> recs = new ArrayList<>();
            for (int i = 0; i < perMap; i++) {
                int k = (int) Math.min(distinct - 1, Math.abs(r.nextGaussian()) * distinct / 3);
                recs.add(
                        Pair.of("w" + k + (k % 7 == 0 ? "-longer-key-beyond-the-prefix" : ""), (long) r.nextInt(1000)));
            }
            out.add(recs);
        }
        return out;
    }

    /**
     * Checks one partition's output against the input: same records (or same sums) and the ordering's
     * guarantee (sorted, or equal keys adjacent).
     */
    private static void check(
            ShuffleSpec spec,
            List<List<Pair<Object, Object>>> maps,
            int reduceId,
            List<Pair<Object, Object>> actual,
            Comparator<Object> order) {
        List<Pair<Object, Object>> expectedRecords = new ArrayList<>();
        for (List<Pair<Object, Object>> m : maps) {
            for (Pair<Object, Object> p : m) {
                if (spec.partitioner().partition(p.key()) == reduceId) {
                    expectedRecords.add(p);
                }
            }
        }
        if (spec.aggregator() != null) {
            TreeMap<Object, Long> sums = new TreeMap<>(order);
            for (Pair<Object, Object> p : expectedRecords) {
                sums.merge(p.key(), (Long) p.value(), Long::sum);
            }
            Map<Object, Object> got = new HashMap<>();
            for (Pair<Object, Object> p : actual) {
                assertTrue(got.put(p.key(), p.value()) == null, "key " + p.key() + " emitted twice");
            }
            assertEquals(new HashMap<>(sums), got);
            if (spec.ordering() == KeyOrdering.SORTED) {
                assertEquals(
                        new ArrayList<>(sums.keySet()),
                        actual.stream().map(Pair::key).toList());
            }
            return;
        }
        assertEquals(counts(expectedRecords), counts(actual), "records of partition " + reduceId);
        if (spec.ordering() == KeyOrdering.SORTED) {
            for (int i = 1; i < actual.size(); i++) {
                assertTrue(
                        order.compare(actual.get(i - 1).key(), actual.get(i).key()) <= 0,
                        "out of order at " + i + ": " + actual.get(i - 1).key() + " > "
                                + actual.get(i).key());
            }
        }
        if (spec.ordering() != KeyOrdering.NONE) {
            // equal keys adjacent: each key's records form one run
            Map<Object, Integer> lastIndex = new HashMap<>();
            for (int i = 0; i < actual.size(); i++) {
                Integer last = lastIndex.put(actual.get(i).key(), i);
                assertTrue(last == null || last == i - 1, "key " + actual.get(i).key() + " not adjacent at " + i);
            }
        }
    }

    private static Map<Pair<Object, Object>, Integer> counts(List<Pair<Object, Object>> records) {
        Map<Pair<Object, Object>, Integer> c = new HashMap<>();
        for (Pair<Object, Object> p : records) {
            c.merge(p, 1, Integer::sum);
        }
        return c;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Comparator<Object> NATURAL = (a, b) -> ((Comparable) a).compareTo(b);

    private void roundTrip(
            ShuffleSpec spec,
            List<List<Pair<Object, Object>>> maps,
            long budgetBytes,
            Comparator<Object> order,
            TaskMetrics writeMetrics)
            throws IOException {
        MemoryBudget budget = new MemoryBudget(budgetBytes);
        List<long[]> lengths = writeMaps(spec, maps, files(), budget, writeMetrics);
        assertEquals(0, budget.used(), "budget released after write");
        TaskMetrics readMetrics = new TaskMetrics();
        long totalLength = 0;
        for (int r = 0; r < spec.numPartitions(); r++) {
            List<Pair<Object, Object>> got = readPartition(spec, files(), maps.size(), r, budget, readMetrics, tmp());
            assertEquals(0, budget.used(), "budget released after reader close");
            check(spec, maps, r, got, order);
            for (long[] l : lengths) {
                totalLength += l[r];
            }
        }
        assertEquals(writeMetrics.shuffleBytesWritten, totalLength);
        assertEquals(totalLength, readMetrics.shuffleBytesRead);
        assertEquals(writeMetrics.shuffleRecordsWritten, readMetrics.shuffleRecordsRead);
    }

    @ParameterizedTest(name = "{0} aggregator={1} mapSideCombine={2}")
    @CsvSource({
        "NONE, false, false",
        "GROUPED, false, false",
        "GROUPED, true, false",
        "GROUPED, true, true",
        "SORTED, false, false",
        "SORTED, true, false",
        "SORTED, true, true"
    })
    void everyOrderingRoundTrips(KeyOrdering ordering, boolean aggregate, boolean combine) throws IOException {
        ShuffleSpec spec = spec(1, 5, ordering, null, aggregate ? sumAggregator() : null, combine);
        TaskMetrics metrics = new TaskMetrics();
        roundTrip(spec, words(4, 5_000, 500, 42), BIG_BUDGET, NATURAL, metrics);
        assertEquals(0, metrics.spillCount);
        if (combine) {
            assertTrue(
                    metrics.shuffleRecordsWritten < 4 * 5_000,
                    "map-side combine reduced " + metrics.shuffleRecordsWritten);
        }
    }

    @ParameterizedTest(name = "{0} aggregator={1} mapSideCombine={2}")
    @CsvSource({
        "NONE, false, false",
        "GROUPED, true, true",
        "GROUPED, true, false",
        "SORTED, false, false",
        "SORTED, true, true"
    })
    void tinyBudgetSpillsAndStaysExact(KeyOrdering ordering, boolean aggregate, boolean combine) throws IOException {
        ShuffleSpec spec = spec(2, 7, ordering, null, aggregate ? sumAggregator() : null, combine);
        TaskMetrics metrics = new TaskMetrics();
        roundTrip(spec, words(2, 60_000, 20_000, 7), 256 * 1024, NATURAL, metrics);
        assertTrue(metrics.spillCount > 0, "spills: " + metrics);
        assertTrue(metrics.spillBytes > 0);
        assertTrue(
                metrics.peakMemoryBytes > 0 && metrics.peakMemoryBytes <= 256 * 1024,
                "peak " + metrics.peakMemoryBytes);
    }

    @Test
    void skewedKeyOfNinetyPercentOfRows() throws IOException {
        Random r = new Random(3);
        List<List<Pair<Object, Object>>> maps = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            List<Pair<Object, Object>> recs = new ArrayList<>();
            for (int i = 0; i < 30_000; i++) {
                Object key = r.nextInt(10) < 9 ? "hot" : "cold-" + r.nextInt(2_000);
                recs.add(Pair.of(key, 1L));
            }
            maps.add(recs);
        }
        roundTrip(
                spec(3, 4, KeyOrdering.GROUPED, null, sumAggregator(), true),
                maps,
                256 * 1024,
                NATURAL,
                new TaskMetrics());
        roundTrip(
                spec(4, 4, KeyOrdering.GROUPED, null, sumAggregator(), false),
                maps,
                256 * 1024,
                NATURAL,
                new TaskMetrics());
        TaskMetrics sorted = new TaskMetrics();
        roundTrip(spec(5, 4, KeyOrdering.SORTED, null, null, false), maps, 256 * 1024, NATURAL, sorted);
        assertTrue(sorted.spillCount > 0);
    }

    @Test
    void emptyPartitionsHaveZeroLengthAndReadEmpty() throws IOException {
        ShuffleSpec spec = new ShuffleSpec(
                6,
                new EvenPartitioner(6),
                dev.weft.serde.ValueSerializer.instance(),
                dev.weft.serde.ValueSerializer.instance(),
                KeyOrdering.GROUPED,
                null,
                sumAggregator(),
                true);
        List<List<Pair<Object, Object>>> maps =
                List.of(List.of(Pair.of(2, 1L), Pair.of(4, 2L), Pair.of(2, 3L)), List.of(), List.of(Pair.of(0, 5L)));
        MemoryBudget budget = new MemoryBudget(BIG_BUDGET);
        List<long[]> lengths = writeMaps(spec, maps, files(), budget, new TaskMetrics());
        for (int p : new int[] {1, 3, 5}) {
            for (long[] l : lengths) {
                assertEquals(0, l[p]);
            }
        }
        assertTrue(Arrays.stream(lengths.get(1)).allMatch(l -> l == 0), "empty map output");
        assertEquals(
                org.roaringbitmap.RoaringBitmap.bitmapOf(0, 1, 3, 5),
                SortShuffleWriter.emptyPartitions(lengths.get(0)));
        assertEquals(
                org.roaringbitmap.RoaringBitmap.bitmapOf(0, 1, 2, 3, 4, 5),
                SortShuffleWriter.emptyPartitions(lengths.get(1)));
        for (KeyOrdering ordering : KeyOrdering.values()) {
            ShuffleSpec noBlocks = spec(60 + ordering.ordinal(), 2, ordering, null, null, false);
            try (RecordStream s =
                    ShuffleReader.read(noBlocks, 1, List.of(), budget.forTask(0), new TaskMetrics(), tmp())) {
                assertFalse(s.advance(), "no blocks, no records");
            }
        }
        assertTrue(lengths.get(0)[2] > 0 && lengths.get(0)[4] > 0 && lengths.get(2)[0] > 0);
        for (int r = 0; r < 6; r++) {
            check(spec, maps, r, readPartition(spec, files(), 3, r, budget, new TaskMetrics(), tmp()), NATURAL);
        }
        assertEquals(List.of(Pair.of(2, 4L)), readPartition(spec, files(), 3, 2, budget, new TaskMetrics(), tmp()));
    }

    /** Even integers to partition key % n, everything else to 0; leaves odd partitions empty. */
    record EvenPartitioner(int numPartitions) implements dev.weft.core.Partitioner {
        @Override
        public int partition(Object key) {
            int k = (Integer) key;
            return k % 2 == 0 ? k % numPartitions : 0;
        }
    }

    /** A key the value serializer can only Java-serialize: not order-preserving as bytes. */
    record Version(int major, String name) implements Serializable, Comparable<Version> {
        @Override
        public int compareTo(Version o) {
            int c = Integer.compare(major, o.major);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    @Test
    void sortsJavaSerializedKeysAsObjects() throws IOException {
        Random r = new Random(11);
        List<List<Pair<Object, Object>>> maps = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            List<Pair<Object, Object>> recs = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                // majors around 256 make the big-endian bytes disagree with numeric order
                recs.add(Pair.of(new Version(r.nextInt(600) - 100, "v" + r.nextInt(5)), (long) i));
            }
            maps.add(recs);
        }
        roundTrip(spec(7, 3, KeyOrdering.SORTED, null, null, false), maps, BIG_BUDGET, NATURAL, new TaskMetrics());
        roundTrip(
                spec(8, 3, KeyOrdering.SORTED, null, sumAggregator(), true),
                maps,
                BIG_BUDGET,
                NATURAL,
                new TaskMetrics());
        TaskMetrics spilled = new TaskMetrics();
        roundTrip(spec(9, 3, KeyOrdering.SORTED, null, null, false), maps, 64 * 1024, NATURAL, spilled);
        assertTrue(spilled.spillCount > 0);
    }

    @Test
    void keyComparatorWinsOverByteOrder() throws IOException {
        Comparator<Object> reverse = (a, b) -> Integer.compare((Integer) b, (Integer) a);
        List<List<Pair<Object, Object>>> maps = new ArrayList<>();
        Random r = new Random(5);
        for (int m = 0; m < 2; m++) {
            List<Pair<Object, Object>> recs = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                recs.add(Pair.of(r.nextInt(1_000) - 500, 1L));
            }
            maps.add(recs);
        }
        roundTrip(spec(10, 2, KeyOrdering.SORTED, reverse, null, false), maps, BIG_BUDGET, reverse, new TaskMetrics());
        roundTrip(
                spec(11, 2, KeyOrdering.SORTED, reverse, sumAggregator(), true),
                maps,
                BIG_BUDGET,
                reverse,
                new TaskMetrics());
    }

    @Test
    void nonComparableKeysInSortedModeNameTheClass() {
        ShuffleSpec spec = spec(12, 1, KeyOrdering.SORTED, null, null, false);
        List<Pair<Object, Object>> recs =
                List.of(Pair.of(new java.util.BitSet(), 1L), Pair.of(new java.util.BitSet(3), 2L));
        MemoryBudget budget = new MemoryBudget(BIG_BUDGET);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new SortShuffleWriter(spec, 0, 0, files(), budget.forTask(0), new TaskMetrics())
                        .write(recs.iterator()));
        assertTrue(e.getMessage().contains("java.util.BitSet"), e.getMessage());
        assertEquals(0, budget.used());
    }

    @Test
    void recordLargerThanAPageRoundTrips() throws IOException {
        byte[] big = new byte[3 << 20];
        new Random(1).nextBytes(big);
        List<Pair<Object, Object>> recs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            recs.add(Pair.of("k" + i, new byte[] {(byte) i}));
        }
        recs.add(Pair.of("big", big));
        ShuffleSpec spec = spec(13, 2, KeyOrdering.SORTED, null, null, false);
        MemoryBudget budget = new MemoryBudget(BIG_BUDGET);
        writeMaps(spec, List.of(recs), files(), budget, new TaskMetrics());
        int bigPartition = spec.partitioner().partition("big");
        List<Pair<Object, Object>> got =
                readPartition(spec, files(), 1, bigPartition, budget, new TaskMetrics(), tmp());
        Pair<Object, Object> found =
                got.stream().filter(p -> p.key().equals("big")).findFirst().orElseThrow();
        assertTrue(Arrays.equals(big, (byte[]) found.value()));
        assertEquals(0, budget.used());
    }

    @Test
    void moreBlocksThanTheMergeFactorMergeInPasses() throws IOException {
        int numMaps = ShuffleReader.MERGE_FACTOR + 6;
        List<List<Pair<Object, Object>>> maps = words(numMaps, 300, 200, 9);
        roundTrip(
                spec(14, 2, KeyOrdering.SORTED, null, sumAggregator(), false),
                maps,
                BIG_BUDGET,
                NATURAL,
                new TaskMetrics());
        roundTrip(spec(15, 2, KeyOrdering.GROUPED, null, null, false), maps, BIG_BUDGET, NATURAL, new TaskMetrics());
        try (Stream<Path> left = Files.list(tmp())) {
            assertEquals(List.of(), left.toList(), "merge temp files deleted");
        }
    }

    private static ShuffleSpec corruptibleSpec(int id) {
        return spec(id, 2, KeyOrdering.GROUPED, null, null, false);
    }

    private void flipByteInSegment(ShuffleSpec spec, int mapId, int reduceId) throws IOException {
        MapOutputIndex index = MapOutputIndex.read(files().indexFile(spec.shuffleId(), mapId, 0));
        Path data = files().dataFile(spec.shuffleId(), mapId, 0);
        byte[] bytes = Files.readAllBytes(data);
        int at = (int) (index.offset(reduceId) + index.length(reduceId) / 2);
        bytes[at] ^= 0x10;
        Files.write(data, bytes);
    }

    @ParameterizedTest(name = "records per map {0}")
    @CsvSource({"200", "40000"}) // a small block verified in memory, a large one verified by a streaming pass
    void flippedByteIsAFetchFailureCausedByCorruption(int perMap) throws IOException {
        ShuffleSpec spec = corruptibleSpec(16);
        List<List<Pair<Object, Object>>> maps = words(3, perMap, 100_000, 13);
        MemoryBudget budget = new MemoryBudget(BIG_BUDGET);
        writeMaps(spec, maps, files(), budget, new TaskMetrics());
        if (perMap > 1000) {
            assertTrue(MapOutputIndex.read(files().indexFile(16, 1, 0)).length(0) > LocalShuffleBlock.IN_MEMORY_LIMIT);
        }
        flipByteInSegment(spec, 1, 0);
        FetchFailedException e = assertThrows(
                FetchFailedException.class, () -> readPartition(spec, files(), 3, 0, budget, new TaskMetrics(), tmp()));
        assertInstanceOf(ShuffleCorruptionException.class, e.getCause());
        assertTrue(e.isCorruption());
        assertEquals(1, e.mapId());
        assertEquals(0, e.reduceId());
        assertEquals(16, e.shuffleId());
        assertEquals("local-1", e.location());
        assertTrue(
                e.getCause().getMessage().contains("shuffle 16 map 1 reduce 0"),
                e.getCause().getMessage());
        assertEquals(0, budget.used());
        // the other partition of the same map output is intact
        check(spec, maps, 1, readPartition(spec, files(), 3, 1, budget, new TaskMetrics(), tmp()), NATURAL);
    }

    @Test
    void flippedByteInNoneOrderingIsAlsoCaught() throws IOException {
        ShuffleSpec spec = spec(17, 1, KeyOrdering.NONE, null, null, false);
        MemoryBudget budget = new MemoryBudget(BIG_BUDGET);
        writeMaps(spec, words(2, 300, 50, 1), files(), budget, new TaskMetrics());
        flipByteInSegment(spec, 0, 0);
        FetchFailedException e = assertThrows(
                FetchFailedException.class, () -> readPartition(spec, files(), 2, 0, budget, new TaskMetrics(), tmp()));
        assertTrue(e.isCorruption());
        assertEquals(0, e.mapId());
    }

    @Test
    void deletedDataFileIsAFetchFailureNamingTheMap() throws IOException {
        ShuffleSpec spec = corruptibleSpec(18);
        MemoryBudget budget = new MemoryBudget(BIG_BUDGET);
        writeMaps(spec, words(3, 200, 50, 2), files(), budget, new TaskMetrics());
        Files.delete(files().dataFile(18, 2, 0));
        FetchFailedException e = assertThrows(
                FetchFailedException.class, () -> readPartition(spec, files(), 3, 0, budget, new TaskMetrics(), tmp()));
        assertEquals(2, e.mapId());
        assertTrue(e.getMessage().contains("map 2"), e.getMessage());
        assertFalse(e.isCorruption());
        assertEquals(0, budget.used());
    }

    @Test
    void deleteShuffleRemovesOnlyThatShuffle() throws IOException {
        MemoryBudget budget = new MemoryBudget(BIG_BUDGET);
        writeMaps(corruptibleSpec(19), words(2, 10, 5, 1), files(), budget, new TaskMetrics());
        writeMaps(corruptibleSpec(191), words(1, 10, 5, 1), files(), budget, new TaskMetrics());
        assertEquals(4, files().deleteShuffle(19));
        assertFalse(Files.exists(files().dataFile(19, 0, 0)));
        assertTrue(Files.exists(files().dataFile(191, 0, 0)));
        try (Stream<Path> left = Files.list(files().baseDirs().get(0))) {
            assertEquals(2, left.count(), "no temporary files left behind");
        }
    }

    @ParameterizedTest(name = "mapSideCombine={0}")
    @CsvSource({"false", "true"})
    void moreSpillsThanTheMergeFactorAreMergedOnDisk(boolean combine) throws IOException {
        ShuffleSpec spec = spec(20, 3, KeyOrdering.SORTED, null, sumAggregator(), combine);
        TaskMetrics metrics = new TaskMetrics();
        roundTrip(spec, words(1, 120_000, 60_000, 21), 32 * 1024, NATURAL, metrics);
        assertTrue(metrics.spillCount > SortShuffleWriter.MERGE_FACTOR, "spills: " + metrics.spillCount);
        try (Stream<Path> left = Files.list(files().baseDirs().get(0))) {
            assertEquals(2, left.count(), "only the data and index files remain");
        }
    }

    @Test
    void failingWriteReleasesMemoryAndDeletesItsFiles() throws IOException {
        Aggregator<Object, Object> failing = new Aggregator<>(
                v -> v,
                (c, v) -> {
                    if ((Long) v == 999L) {
                        throw new IllegalStateException("user function failed");
                    }
                    return (Long) c + (Long) v;
                },
                (a, b) -> (Long) a + (Long) b);
        ShuffleSpec spec = spec(21, 3, KeyOrdering.GROUPED, null, failing, true);
        List<Pair<Object, Object>> recs =
                new ArrayList<>(words(1, 50_000, 30_000, 4).get(0));
        recs.add(Pair.of(recs.get(0).key(), 999L));
        MemoryBudget budget = new MemoryBudget(32 * 1024);
        TaskMetrics metrics = new TaskMetrics();
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> new SortShuffleWriter(spec, 0, 0, files(), budget.forTask(0), metrics).write(recs.iterator()));
        assertEquals("user function failed", e.getMessage());
        assertTrue(metrics.spillCount > 0, "failed after spilling");
        assertEquals(0, budget.used());
        try (Stream<Path> left = Files.list(files().baseDirs().get(0))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void corruptIndexIsAFetchFailureCausedByCorruption() throws IOException {
        ShuffleSpec spec = corruptibleSpec(22);
        MemoryBudget budget = new MemoryBudget(BIG_BUDGET);
        writeMaps(spec, words(2, 100, 50, 3), files(), budget, new TaskMetrics());
        Path index = files().indexFile(22, 1, 0);
        byte[] bytes = Files.readAllBytes(index);
        bytes[20] ^= 0x01;
        Files.write(index, bytes);
        FetchFailedException e = assertThrows(
                FetchFailedException.class, () -> readPartition(spec, files(), 2, 1, budget, new TaskMetrics(), tmp()));
        assertTrue(e.isCorruption());
        assertEquals(1, e.mapId());
        assertEquals(0, budget.used());
    }

    @Test
    void streamAccessorsNeedACurrentRecord() throws IOException {
        ShuffleSpec spec = corruptibleSpec(23);
        MemoryBudget budget = new MemoryBudget(BIG_BUDGET);
        writeMaps(spec, List.of(List.of(Pair.of("a", 1L))), files(), budget, new TaskMetrics());
        int r = spec.partitioner().partition("a");
        RecordStream s = ShuffleReader.read(
                spec, r, ShuffleTestSupport.blocks(spec, files(), 1, r), budget.forTask(0), new TaskMetrics(), tmp());
        assertThrows(IllegalStateException.class, s::key);
        assertTrue(s.advance());
        assertEquals("a", s.key());
        byte[] keyBytes = Arrays.copyOfRange(s.keyBuffer(), s.keyOffset(), s.keyOffset() + s.keyLength());
        dev.weft.serde.RecordOutput expected = new dev.weft.serde.RecordOutput();
        spec.keySerializer().write("a", expected);
        assertTrue(Arrays.equals(expected.toByteArray(), keyBytes));
        assertFalse(s.advance());
        s.close();
        s.close();
        assertFalse(s.advance());
        assertEquals(0, budget.used());
    }
}
