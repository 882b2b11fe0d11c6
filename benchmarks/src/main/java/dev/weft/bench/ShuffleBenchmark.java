package dev.weft.bench;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.core.HashPartitioner;
import dev.weft.core.Pair;
import dev.weft.memory.MemoryBudget;
import dev.weft.metrics.TaskMetrics;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.Aggregator;
import dev.weft.shuffle.KeyOrdering;
import dev.weft.shuffle.LocalShuffleBlock;
import dev.weft.shuffle.RecordStream;
import dev.weft.shuffle.ShuffleFiles;
import dev.weft.shuffle.ShuffleReader;
import dev.weft.shuffle.ShuffleSpec;
import dev.weft.shuffle.SortShuffleWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Shuffle write + read throughput on generated data, single-threaded (one task at a time), local disk:
 * <ul>
 *   <li>reduceByKey: Zipf-like words to Long 1, GROUPED with map-side combining (sum);</li>
 *   <li>sortByKey: 100-byte records (10-byte byte[] keys, 90-byte byte[] values), SORTED;</li>
 *   <li>repartition: the same 100-byte records, NONE;</li>
 *   <li>sort/spill: sortByKey with a {@value #SMALL_BUDGET}-byte budget, so writers spill and merge runs.</li>
 * </ul>
 * Each scenario runs once to warm up and once measured. Usage: {@code ShuffleBenchmark [records]}
 * (default 2,000,000), records split over {@value #MAPS} map tasks and {@value #REDUCES} reduce partitions.
 */
@SuppressForbidden("a command-line benchmark: its results go to the terminal")
public final class ShuffleBenchmark {
    private static final int MAPS = 4;
    private static final int REDUCES = 8;
    private static final long BUDGET = 512L << 20;
    /** Forces the sort scenario through spills and the on-disk merge. */
    private static final long SMALL_BUDGET = 16L << 20;

    private ShuffleBenchmark() {}

    public static void main(String[] args) throws IOException {
        int records =
                args.length > 0 ? Integer.parseInt(args[0].replace(",", "").replace("_", "")) : 2_000_000;
        System.out.printf(
                Locale.ROOT,
                "Weft shuffle benchmark: %,d records, %d map tasks, %d reduce partitions, budget %d MiB, %d cores%n",
                records,
                MAPS,
                REDUCES,
                BUDGET >> 20,
                Runtime.getRuntime().availableProcessors());
        List<List<Pair<Object, Object>>> words = words(records, 7);
        List<List<Pair<Object, Object>>> rows = hundredByteRows(records, 8);
        System.out.printf(
                Locale.ROOT,
                "%-12s %10s %10s %9s %9s %12s %9s %9s %12s %7s%n",
                "scenario",
                "shuffled",
                "MiB",
                "write s",
                "w MiB/s",
                "w rec/s",
                "read s",
                "r MiB/s",
                "r rec/s",
                "spills");
        int shuffleId = 0;
        for (boolean measured : new boolean[] {false, true}) {
            run("reduceByKey", spec(shuffleId++, KeyOrdering.GROUPED, true), words, BUDGET, measured);
            run("sortByKey", spec(shuffleId++, KeyOrdering.SORTED, false), rows, BUDGET, measured);
            run("repartition", spec(shuffleId++, KeyOrdering.NONE, false), rows, BUDGET, measured);
            run("sort/spill", spec(shuffleId++, KeyOrdering.SORTED, false), rows, SMALL_BUDGET, measured);
        }
    }

    private static ShuffleSpec spec(int id, KeyOrdering ordering, boolean sum) {
        Aggregator<Object, Object> agg =
                sum ? new Aggregator<>(v -> v, (c, v) -> (Long) c + (Long) v, (a, b) -> (Long) a + (Long) b) : null;
        Comparator<Object> natural = null;
        return new ShuffleSpec(
                id,
                new HashPartitioner(REDUCES),
                ValueSerializer.instance(),
                ValueSerializer.instance(),
                ordering,
                natural,
                agg,
                sum);
    }

    private static void run(
            String name, ShuffleSpec spec, List<List<Pair<Object, Object>>> maps, long budgetBytes, boolean print)
            throws IOException {
        Path dir = Files.createTempDirectory("weft-shuffle-bench");
        try {
            ShuffleFiles files = new ShuffleFiles(dir.resolve("out"));
            MemoryBudget budget = new MemoryBudget(budgetBytes);
            TaskMetrics write = new TaskMetrics();
            long inputRecords = 0;
            long t0 = System.nanoTime();
            for (int m = 0; m < maps.size(); m++) {
                new SortShuffleWriter(spec, m, 0, files, budget.forTask(m), write)
                        .write(maps.get(m).iterator());
                inputRecords += maps.get(m).size();
            }
            long t1 = System.nanoTime();
            TaskMetrics read = new TaskMetrics();
            long checksum = 0;
            for (int r = 0; r < REDUCES; r++) {
                List<LocalShuffleBlock> blocks = new ArrayList<>();
                for (int m = 0; m < maps.size(); m++) {
                    blocks.add(new LocalShuffleBlock(files, spec.shuffleId(), m, 0, r, "local"));
                }
                try (RecordStream s =
                        ShuffleReader.read(spec, r, blocks, budget.forTask(r), read, dir.resolve("tmp"))) {
                    while (s.advance()) {
                        // consume like a reduce task: deserialize key and value
                        checksum += s.key().hashCode() + s.value().hashCode();
                    }
                }
            }
            long t2 = System.nanoTime();
            if (budget.used() != 0) {
                throw new IllegalStateException("budget not released: " + budget.used());
            }
            if (print) {
                double mib = write.shuffleBytesWritten / (1024.0 * 1024.0);
                double ws = (t1 - t0) / 1e9;
                double rs = (t2 - t1) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "%-12s %,10d %10.1f %9.2f %9.1f %,12.0f %9.2f %9.1f %,12.0f %7d%n",
                        name,
                        write.shuffleRecordsWritten,
                        mib,
                        ws,
                        mib / ws,
                        inputRecords / ws,
                        rs,
                        mib / rs,
                        read.shuffleRecordsRead / rs,
                        write.spillCount);
            }
            if (checksum == 42) {
                System.out.println(); // keeps the consumption loop from being optimized away
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Words with a Zipf-like (log-uniform rank) distribution over 100,000 distinct words, each to 1L. */
    private static List<List<Pair<Object, Object>>> words(int records, long seed) {
        Random r = new Random(seed);
        List<List<Pair<Object, Object>>> maps = new ArrayList<>();
        String[] vocab = new String[100_000];
        for (int i = 0; i < vocab.length; i++) {
            vocab[i] = "word" + Integer.toString(i, 36);
        }
        Long one = 1L;
        for (int m = 0; m < MAPS; m++) {
            int n = records / MAPS + (m < records % MAPS ? 1 : 0);
            List<Pair<Object, Object>> recs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int rank = (int) Math.pow(vocab.length, r.nextDouble()) - 1;
                recs.add(Pair.of(vocab[rank], one));
            }
            maps.add(recs);
        }
        return maps;
    }

    /** 100-byte rows: random 10-byte key, 90-byte value (non-zero bytes, so the byte[] encoding adds only its terminator). */
    private static List<List<Pair<Object, Object>>> hundredByteRows(int records, long seed) {
        Random r = new Random(seed);
        List<List<Pair<Object, Object>>> maps = new ArrayList<>();
        for (int m = 0; m < MAPS; m++) {
            int n = records / MAPS + (m < records % MAPS ? 1 : 0);
            List<Pair<Object, Object>> recs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] key = new byte[10];
                byte[] value = new byte[90];
                r.nextBytes(key);
                for (int j = 0; j < key.length; j++) {
                    key[j] |= 1;
                }
                for (int j = 0; j < value.length; j++) {
                    value[j] = (byte) ('a' + (i + j) % 26);
                }
                recs.add(Pair.of(key, value));
            }
            maps.add(recs);
        }
        return maps;
    }
}
