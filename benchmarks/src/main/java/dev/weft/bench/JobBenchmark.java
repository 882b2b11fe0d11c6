package dev.weft.bench;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.api.Dataset;
import dev.weft.api.WeftContext;
import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import dev.weft.metrics.TaskMetrics;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * End-to-end jobs through the Dataset API on the local backend (all cores of this machine):
 * WordCount over Zipf-distributed words and a sort of 100-byte records (10-byte keys). Input is generated
 * inside the tasks, so the figures measure the engine (serialization, sort, shuffle, merge), not a disk.
 *
 * <p>Usage: {@code JobBenchmark [wordcount-MiB] [sort-records]} (defaults 256 and 2,000,000).
 */
@SuppressForbidden("a command-line benchmark: its results go to the terminal")
public final class JobBenchmark {
    private JobBenchmark() {}

    public static void main(String[] args) {
        int wcMiB = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int sortRecords = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                Locale.ROOT,
                "JobBenchmark: %d cores, max heap %d MiB%n",
                cores,
                Runtime.getRuntime().maxMemory() >> 20);
        try (WeftContext ctx =
                new WeftContext(WeftConf.defaults().with("weft.local.threads", Integer.toString(cores)))) {
            for (int round = 0; round < 2; round++) {
                String label = round == 0 ? "warm-up" : "measured";
                wordCount(ctx, wcMiB, cores * 2, label);
                sort(ctx, sortRecords, cores * 2, label);
            }
        }
    }

    static void wordCount(WeftContext ctx, int mib, int partitions, String label) {
        long bytesPerPartition = ((long) mib << 20) / partitions;
        Dataset<String> lines =
                ctx.parallelize(range(partitions), partitions).flatMap(p -> zipfLines(p, bytesPerPartition));
        TaskMetrics before = ctx.metrics();
        long t0 = System.nanoTime();
        long distinct = lines.flatMap(l -> List.of(l.split(" ")).iterator())
                .mapToPair(w -> Pair.of(w, 1L))
                .reduceByKey(Long::sum, partitions)
                .count();
        double s = (System.nanoTime() - t0) / 1e9;
        TaskMetrics m = delta(ctx.metrics(), before);
        System.out.printf(
                Locale.ROOT,
                "wordcount %-8s %5d MiB text  %6.2f s  %7.1f MiB/s  %d distinct words, shuffle %.1f MiB, spills %d%n",
                label,
                mib,
                s,
                mib / s,
                distinct,
                m.shuffleBytesWritten / 1048576.0,
                m.spillCount);
    }

    static void sort(WeftContext ctx, int records, int partitions, String label) {
        int perPartition = records / partitions;
        TaskMetrics before = ctx.metrics();
        long t0 = System.nanoTime();
        long n = ctx.parallelize(range(partitions), partitions)
                .flatMap(p -> rows(p, perPartition))
                .mapToPair(r -> Pair.of(r.substring(0, 10), r.substring(10)))
                .sortByKey(true, partitions)
                .count();
        double s = (System.nanoTime() - t0) / 1e9;
        TaskMetrics m = delta(ctx.metrics(), before);
        System.out.printf(
                Locale.ROOT,
                "sort      %-8s %,10d x 100 B  %6.2f s  %,10.0f records/s  %7.1f MiB/s  shuffle %.1f MiB, spills %d%n",
                label,
                n,
                s,
                n / s,
                n * 100 / 1048576.0 / s,
                m.shuffleBytesWritten / 1048576.0,
                m.spillCount);
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(java.util.stream.Collectors.toList());
    }

    static Iterator<String> zipfLines(int seed, long bytes) {
        String[] vocab = new String[50_000];
        for (int i = 0; i < vocab.length; i++) {
            vocab[i] = "w" + Integer.toString(i * 7919 % 1_000_003, 36);
        }
        double[] cdf = new double[vocab.length];
        double sum = 0;
        for (int i = 0; i < vocab.length; i++) {
            sum += 1.0 / (i + 1);
            cdf[i] = sum;
        }
        double total = sum;
        Random rnd = new Random(seed);
        return new Iterator<>() {
            long produced;

            @Override
            public boolean hasNext() {
                return produced < bytes;
            }

            @Override
            public String next() {
                StringBuilder sb = new StringBuilder(120);
                for (int k = 0; k < 12; k++) {
                    int idx = java.util.Arrays.binarySearch(cdf, rnd.nextDouble() * total);
                    if (k > 0) {
                        sb.append(' ');
                    }
                    sb.append(vocab[idx < 0 ? -idx - 1 : idx]);
                }
                produced += sb.length() + 1;
                return sb.toString();
            }
        };
    }

    static Iterator<String> rows(int seed, int n) {
        Random rnd = new Random(seed);
        char[] pad = new char[90];
        java.util.Arrays.fill(pad, 'x');
        String filler = new String(pad);
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public String next() {
                i++;
                char[] key = new char[10];
                for (int k = 0; k < 10; k++) {
                    key[k] = (char) (' ' + rnd.nextInt(95));
                }
                return new String(key) + filler;
            }
        };
    }

    static TaskMetrics delta(TaskMetrics after, TaskMetrics before) {
        TaskMetrics d = after.copy();
        d.shuffleBytesWritten -= before.shuffleBytesWritten;
        d.spillCount -= before.spillCount;
        return d;
    }
}
