package dev.weft.it;

import dev.weft.api.PairDataset;
import dev.weft.api.WeftContext;
import dev.weft.core.Pair;
import dev.weft.hdfs.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Programs the integration tests submit through the yarn-jar path. Each is a real main class. */
public final class TestJobs {
    private TestJobs() {}

    /**
     * The cheapest whole application: the driver starts its context and ends, succeeding, or failing when
     * its one argument is {@code fail}. Exercises the driver's start and end without running a job.
     */
    public static final class EmptyProgram {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                if (ctx.args().length > 0 && ctx.args()[0].equals("fail")) {
                    throw new IllegalStateException("the program failed on purpose");
                }
            }
        }
    }

    /** A job whose map fails on one record, every attempt: the application must end FAILED naming it. */
    public static final class FailingJob {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                List<Integer> nums = IntStream.range(0, 100).boxed().collect(Collectors.toList());
                ctx.parallelize(nums, 4)
                        .map(x -> {
                            if (x == 77) {
                                throw new IllegalStateException("record 77 is poisoned");
                            }
                            return x;
                        })
                        .count();
            }
        }
    }

    /**
     * Saves 100 numbers in 4 partitions to its one argument, an output path; the last partition fails on every
     * attempt, each once the three others committed (it waits for their files, at most a minute). The job must
     * fail and leave no output.
     */
    public static final class FailingSave {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String out = ctx.args()[0];
                List<Integer> nums = IntStream.range(0, 100).boxed().collect(Collectors.toList());
                ctx.parallelize(nums, 4)
                        .map(x -> {
                            if (x == 99) {
                                awaitCommittedParts(out, 3);
                                throw new IllegalStateException("record 99 is poisoned");
                            }
                            return x;
                        })
                        .saveAsTextFile(out);
            }
        }

        private static void awaitCommittedParts(String out, int n) {
            try {
                pollCommittedParts(out, n);
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException("cannot watch the other partitions commit: " + e, e);
            }
        }

        private static void pollCommittedParts(String out, int n) throws java.io.IOException, InterruptedException {
            org.apache.hadoop.fs.Path output = new org.apache.hadoop.fs.Path(out);
            org.apache.hadoop.fs.Path parts =
                    new org.apache.hadoop.fs.Path(output.getParent(), "." + output.getName() + ".weft-*/out/part-*");
            org.apache.hadoop.fs.FileSystem fs =
                    parts.getFileSystem(dev.weft.exec.TaskContext.get().env().hadoopConf());
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
            while (System.nanoTime() < deadline) {
                org.apache.hadoop.fs.FileStatus[] found = fs.globStatus(parts);
                if (found != null && found.length >= n) {
                    return;
                }
                Thread.sleep(100); // polling HDFS: there is nothing to wait on
            }
            throw new IllegalStateException("the other partitions did not commit within a minute");
        }
    }

    /**
     * Caches a dataset, then reads every executor's storage memory with a probe job, unpersists the dataset and
     * probes again. Writes "count N", then one "before|after executor bytes" line per probe task, to its one
     * argument, an HDFS file.
     */
    public static final class UnpersistProbe {
        public static void main(String[] args) throws IOException {
            try (WeftContext ctx = WeftContext.create(args)) {
                dev.weft.api.Dataset<String> words = ctx.parallelize(
                                IntStream.range(0, 200_000).boxed().collect(Collectors.toList()), 4)
                        .map(i -> "word-" + i)
                        .cache();
                long n = words.count();
                List<String> before = probeStorage(ctx, "before");
                words.unpersist();
                List<String> after = probeStorage(ctx, "after");
                Path out = new Path(ctx.args()[0]);
                try (java.io.Writer w = new java.io.OutputStreamWriter(
                        out.getFileSystem(ctx.hadoopConf()).create(out), java.nio.charset.StandardCharsets.UTF_8)) {
                    w.write("count " + n + "\n");
                    for (String line : before) {
                        w.write(line + "\n");
                    }
                    for (String line : after) {
                        w.write(line + "\n");
                    }
                }
            }
        }

        /** One tiny task per slot and more: the scheduler spreads them over every executor. */
        private static List<String> probeStorage(WeftContext ctx, String when) {
            return ctx.parallelize(IntStream.range(0, 32).boxed().collect(Collectors.toList()), 32)
                    .map(i -> {
                        dev.weft.exec.ExecutorEnv env =
                                dev.weft.exec.TaskContext.get().env();
                        return when + " " + env.executorId() + " "
                                + env.memory().storageUsed();
                    })
                    .collect();
        }
    }

    /** WordCount over a given number of input splits, so that shuffle 0 has that many map outputs. Args: input output splits. */
    public static final class SplitWordCount {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                ctx.textFile(a[0], Integer.parseInt(a[2]))
                        .flatMap(dev.weft.examples.WordCount::words)
                        .mapToPair(w -> Pair.of(w, 1L))
                        .reduceByKey(Long::sum, 2)
                        .saveAsTextFile(a[1]);
            }
        }
    }

    /**
     * Three stages: counts words (shuffle 0), then how many words have each count (shuffle 1), and writes those
     * counts in three partitions; the first stage counts input lines in an accumulator, whose value the program
     * writes to {@code <output>.lines} at the end. Args: input output [hadoop] (write through Hadoop's TextOutputFormat
     * instead of saveAsTextFile, the same lines).
     */
    public static final class CountOfCounts {
        public static void main(String[] args) throws IOException {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                dev.weft.api.LongAccumulator lines = ctx.longAccumulator("lines");
                PairDataset<Long, Long> ofCounts = ctx.textFile(a[0], 2)
                        .map(line -> {
                            lines.add(1);
                            return line;
                        })
                        .flatMap(dev.weft.examples.WordCount::words)
                        .mapToPair(w -> Pair.of(w, 1L))
                        .reduceByKey(Long::sum, 3)
                        .mapToPair(p -> Pair.of(p.value(), 1L))
                        .reduceByKey(Long::sum, 3);
                if (a.length > 2 && a[2].equals("hadoop")) {
                    // The same lines through Hadoop's TextOutputFormat and FileOutputCommitter (a null key: the
                    // line alone), which cannot resume a half-written output.
                    HadoopFiles.saveAsHadoopFile(
                            ofCounts.mapToPair(p -> Pair.of(null, p.toString())),
                            a[1],
                            org.apache.hadoop.mapreduce.lib.output.TextOutputFormat.class,
                            org.apache.hadoop.io.NullWritable.class,
                            String.class);
                } else {
                    ofCounts.saveAsTextFile(a[1]);
                }
                org.apache.hadoop.fs.Path side = new org.apache.hadoop.fs.Path(a[1] + ".lines");
                try (var out = side.getFileSystem(ctx.hadoopConf()).create(side, true)) {
                    out.write(Long.toString(lines.value()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
    }

    /**
     * A wide stage then a narrow one: four map tasks (over four input splits) that wait at the gate until the test
     * creates {@code <gate>/release}, then one reduce task. Args: gate input output.
     */
    public static final class ElasticWordCount {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                String gate = a[0];
                ctx.textFile(a[1], 4)
                        .mapPartitionsWithIndex((p, it) -> {
                            GatedWordCount.awaitRelease(gate, p);
                            return it;
                        })
                        .flatMap(dev.weft.examples.WordCount::words)
                        .mapToPair(w -> Pair.of(w, 1L))
                        .reduceByKey(Long::sum, 1)
                        .saveAsTextFile(a[2]);
            }
        }
    }

    /**
     * WordCount whose result stage has one straggler: the first attempt of output partition 0 stops at its first record
     * and waits for {@code <gate>/release} (or its kill); every other attempt runs straight through. With speculation
     * on, a copy of partition 0 finishes the job. Args: gate input output.
     */
    public static final class StragglerWordCount {
        /** Attempts that already passed the straggler check, so that each waits (or not) once. */
        private static final java.util.Set<Long> CHECKED = java.util.concurrent.ConcurrentHashMap.newKeySet();

        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                String gate = a[0];
                ctx.textFile(a[1], 4)
                        .flatMap(dev.weft.examples.WordCount::words)
                        .mapToPair(w -> Pair.of(w, 1L))
                        .reduceByKey(Long::sum, 3)
                        .filter(p -> straggle(gate))
                        .saveAsTextFile(a[2]);
            }
        }

        static boolean straggle(String gate) {
            dev.weft.exec.TaskContext tc = dev.weft.exec.TaskContext.get();
            if (CHECKED.add(tc.taskAttemptId()) && tc.partitionId() == 0 && tc.attemptNumber() == 0) {
                GatedWordCount.awaitRelease(gate, 0);
            }
            return true;
        }
    }

    /**
     * Counts words like WordCount, but every task first announces itself ({@code <gate>/started-<p>-<attempt>})
     * and then waits until the test creates {@code <gate>/release}: the test decides when tasks may finish,
     * so it can kill things while they provably run. Args: gate input output.
     */
    public static final class GatedWordCount {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                String gate = a[0];
                ctx.textFile(a[1], 4)
                        .mapPartitionsWithIndex((p, it) -> {
                            awaitRelease(gate, p);
                            return it;
                        })
                        .flatMap(dev.weft.examples.WordCount::words)
                        .mapToPair(w -> Pair.of(w, 1L))
                        .reduceByKey(Long::sum, 3)
                        .saveAsTextFile(a[2]);
            }
        }

        /** Leaves {@code <gate>/started-<partition>-<attempt>-<taskAttemptId>}: this attempt ran. */
        static void announce(String gate, int partition) {
            try {
                Path dir = new Path(gate);
                FileSystem fs = dir.getFileSystem(new Configuration());
                int attempt = dev.weft.exec.TaskContext.get().attemptNumber();
                fs.create(
                                new Path(
                                        dir,
                                        "started-" + partition + "-" + attempt + "-"
                                                + dev.weft.exec.TaskContext.get()
                                                        .taskAttemptId()),
                                true)
                        .close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static void awaitRelease(String gate, int partition) {
            announce(gate, partition);
            try {
                Path dir = new Path(gate);
                FileSystem fs = dir.getFileSystem(new Configuration());
                Path release = new Path(dir, "release");
                while (!fs.exists(release)) {
                    if (dev.weft.exec.TaskContext.get().isKilled()) {
                        throw new IllegalStateException("killed while waiting for the release marker");
                    }
                    Thread.sleep(50); // polling an HDFS marker: the wait is on an event, not a guess at timing
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * WordCount in two jobs over one shuffle, with a pause between them that the test controls: job 1 writes
     * the map output (and counts), the driver then writes {@code <gate>/phase1-done} and waits for
     * {@code <gate>/release}, and job 2 saves the counts, reusing the map output. Every map task attempt
     * leaves {@code <gate>/map-<partition>-<taskAttemptId>} holding the executor's LOCAL_DIRS, so the test can
     * count re-executions and tell on which NodeManager each ran. Args: gate input output.
     */
    public static final class TwoPhaseWordCount {
        public static void main(String[] args) throws Exception {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                String gate = a[0];
                dev.weft.api.PairDataset<String, Long> counts = ctx.textFile(a[1], 4)
                        .mapPartitionsWithIndex((p, it) -> {
                            markMap(gate, p);
                            return it;
                        })
                        .flatMap(dev.weft.examples.WordCount::words)
                        .mapToPair(w -> Pair.of(w, 1L))
                        .reduceByKey(Long::sum, 3);
                counts.count();
                Path dir = new Path(gate);
                FileSystem fs = dir.getFileSystem(new Configuration());
                fs.create(new Path(dir, "phase1-done"), true).close();
                Path release = new Path(dir, "release");
                while (!fs.exists(release)) {
                    Thread.sleep(100); // polling the test's marker, not guessing a duration
                }
                counts.saveAsTextFile(a[2]);
            }
        }

        static void markMap(String gate, int partition) {
            try {
                Path dir = new Path(gate);
                FileSystem fs = dir.getFileSystem(new Configuration());
                long task = dev.weft.exec.TaskContext.get().taskAttemptId();
                try (var out = fs.create(new Path(dir, "map-" + partition + "-" + task), true)) {
                    out.write(String.valueOf(System.getenv("LOCAL_DIRS"))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * WordCount that holds on to its executors: map partitions below {@code free} finish at once (their map output
     * is written), the others announce themselves like {@link GatedWordCount} and wait for {@code <gate>/release}.
     * At the end the driver writes the context's counters to {@code <gate>/counters}, one {@code name=value} per
     * line. Args: gate input output partitions free.
     */
    public static final class GreedyWordCount {
        public static void main(String[] args) throws Exception {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                String gate = a[0];
                int free = Integer.parseInt(a[4]);
                ctx.textFile(a[1], Integer.parseInt(a[3]))
                        .mapPartitionsWithIndex((p, it) -> {
                            if (p < free) {
                                GatedWordCount.announce(gate, p);
                            } else {
                                GatedWordCount.awaitRelease(gate, p);
                            }
                            return it;
                        })
                        .flatMap(dev.weft.examples.WordCount::words)
                        .mapToPair(w -> Pair.of(w, 1L))
                        .reduceByKey(Long::sum, 3)
                        .saveAsTextFile(a[2]);
                dev.weft.events.JobCounters c = ctx.counters();
                String lines = "tasksPreempted=" + c.tasksPreempted() + "\nexecutorsPreempted=" + c.executorsPreempted()
                        + "\ntasksFailed=" + c.tasksFailed() + "\ntasksLost=" + c.tasksLost() + "\n";
                Path dir = new Path(gate);
                try (var out = dir.getFileSystem(new Configuration()).create(new Path(dir, "counters"), true)) {
                    out.write(lines.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
    }

    /**
     * Reports what each task sees of the job's launch settings, one line per probe, into the output directory (arg
     * 0): the settings of a {@code -conf} file ({@code it.from-conf-file}) and of {@code -D} ({@code it.from-dash-d})
     * through the task's Hadoop configuration, the first line of {@code lookup.txt} ({@code -files}) and of {@code
     * dict.zip/words/one.txt} ({@code -archives}) by name in the working directory, the environment variable {@code
     * IT_ENV} and system property {@code it.javaopt}, and the role of the JVM. The lines of the file arg 1 names are
     * read through the task's file systems (a {@code -libjars} scheme) and appended with the prefix {@code echo }.
     * The driver adds its own line. Job 0 is the probe; the output is written by job 1.
     */
    public static final class LaunchSettingsProbe {
        public static void main(String[] args) throws Exception {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                List<String> probes = ctx.parallelize(List.of(0, 1, 2, 3), 4)
                        .map(i -> "task "
                                + describe(dev.weft.exec.TaskContext.get().env().hadoopConf()))
                        .collect();
                List<String> echoed =
                        ctx.textFile(a[1], 2).map(l -> "echo " + l).collect();
                List<String> lines = new java.util.ArrayList<>(probes);
                lines.addAll(echoed);
                lines.add("driver " + describe(ctx.hadoopConf()));
                ctx.parallelize(lines, 1).saveAsTextFile(a[0]);
            }
        }

        private static String describe(Configuration c) {
            return String.join(
                    "|",
                    c.get("it.from-conf-file"),
                    c.get("it.from-dash-d"),
                    firstLine("lookup.txt"),
                    firstLine("dict.zip/words/one.txt"),
                    System.getenv("IT_ENV"),
                    System.getProperty("it.javaopt"),
                    System.getenv("WEFT_ROLE"));
        }

        private static String firstLine(String file) {
            try {
                return java.nio.file.Files.readAllLines(java.nio.file.Path.of(file))
                        .get(0);
            } catch (IOException e) {
                return "missing:" + e;
            }
        }
    }

    /**
     * One task that takes native memory (direct buffers, every page touched) in 64 MiB steps up to arg 0 MiB and
     * holds it for up to a minute: more than its container has, it is what YARN's physical memory check kills.
     */
    public static final class NativeMemoryHog {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                int mib = Integer.parseInt(ctx.args()[0]);
                ctx.parallelize(List.of(0), 1)
                        .map(x -> {
                            List<java.nio.ByteBuffer> held = new java.util.ArrayList<>();
                            for (int taken = 0; taken < mib; taken += 64) {
                                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(64 << 20);
                                for (int i = 0; i < b.capacity(); i += 4096) {
                                    b.put(i, (byte) 1);
                                }
                                held.add(b);
                            }
                            // Held, as a task that needs it would: the NodeManager's monitor samples twice a second.
                            long until = System.nanoTime() + 60_000_000_000L;
                            while (System.nanoTime() < until) {
                                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                            }
                            return held.size();
                        })
                        .count();
            }
        }
    }
}
