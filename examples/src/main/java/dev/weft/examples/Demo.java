package dev.weft.examples;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.api.WeftContext;
import dev.weft.testkit.EmbeddedCluster;
import dev.weft.yarn.Jars;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.RunJar;

/**
 * {@code ./weft demo}: starts an embedded MiniDFS + MiniYARN cluster (drivers / executors queues), writes
 * generated text to HDFS, runs {@link WordCount} through the code path {@code yarn jar} uses
 * ({@link RunJar} → {@code WeftContext.create} → submission to YARN), then prints the top words and where
 * the output is.
 */
@SuppressForbidden("a command-line demo: it reports to the terminal and exits with the job's status")
public final class Demo {
    private Demo() {}

    public static void main(String[] args) throws Throwable {
        // The embedded cluster's web apps log through java.util.logging at INFO; keep the demo's output readable.
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
        java.nio.file.Path base = java.nio.file.Path.of(args.length > 0 ? args[0] : "target/weft-demo")
                .toAbsolutePath();
        long started = System.nanoTime();
        System.out.println("weft demo: starting an embedded MiniDFS + MiniYARN cluster under " + base + " ...");
        java.nio.file.Path history = java.nio.file.Files.createDirectories(base.resolve("history"));
        // Keep the containers' logs after the application (the NodeManager would delete them when it stops).
        Map<String, String> keepLogs = Map.of("yarn.nodemanager.delete.debug-delay-sec", "86400");
        List<java.nio.file.Path> logDirs;
        try (EmbeddedCluster cluster = EmbeddedCluster.start(base, 2, 2, keepLogs)) {
            logDirs = cluster.nodeManagerLogDirs();
            System.out.printf(Locale.ROOT, "weft demo: cluster up in %.1f s%n", (System.nanoTime() - started) / 1e9);
            FileSystem fs = cluster.fileSystem();
            Path in = new Path("/demo/input/words.txt");
            Path out = new Path("/demo/output-" + System.currentTimeMillis());
            long bytes = writeText(fs, in, 200_000, 42);
            System.out.println("weft demo: wrote " + bytes + " bytes of generated text to " + fs.makeQualified(in));

            List<String> jobArgs = new ArrayList<>(cluster.genericOptions());
            jobArgs.addAll(List.of(
                    "-D",
                    "weft.driver.memory=512m",
                    "-D",
                    "weft.executor.memory=512m",
                    "-D",
                    "weft.executor.instances=2",
                    "-D",
                    // On the local disk, so that './weft history' shows the job after the cluster is gone.
                    "weft.event-log.dir=" + history.toUri()));
            jobArgs.add(fs.makeQualified(in).toString());
            jobArgs.add(fs.makeQualified(out).toString());
            List<String> runJarArgs = new ArrayList<>();
            runJarArgs.add(Jars.jarOf(WordCount.class).toString());
            runJarArgs.add(WordCount.class.getName());
            runJarArgs.addAll(jobArgs);
            System.setProperty("weft.client.noExit", "true");
            long submitted = System.nanoTime();
            int code;
            try {
                RunJar.main(runJarArgs.toArray(new String[0]));
                code = 0;
            } catch (WeftContext.ClientExit e) {
                code = e.code();
            }
            System.out.printf(
                    Locale.ROOT,
                    "weft demo: job finished with exit code %d in %.1f s%n",
                    code,
                    (System.nanoTime() - submitted) / 1e9);
            if (code != 0) {
                System.exit(code);
            }
            List<String[]> counts = readCounts(fs, out);
            counts.sort(Comparator.comparingLong((String[] c) -> -Long.parseLong(c[1]))
                    .thenComparing(c -> c[0]));
            System.out.println("weft demo: top words");
            for (String[] c : counts.subList(0, Math.min(10, counts.size()))) {
                System.out.printf(Locale.ROOT, "  %-12s %s%n", c[0], c[1]);
            }
            System.out.println("weft demo: " + counts.size() + " distinct words; output at " + fs.makeQualified(out));
        }
        System.out.println("weft demo: container logs (driver.log, executor.log) kept under " + logDirs);
        System.out.println(
                "weft demo: the job's history: ./weft history " + history + "  (then open the address it" + " prints)");
        System.exit(0);
    }

    /** Zipf-distributed words over a small vocabulary, {@code lines} lines of 10 words. */
    public static long writeText(FileSystem fs, Path file, int lines, long seed) throws java.io.IOException {
        String[] vocab = new String[2000];
        for (int i = 0; i < vocab.length; i++) {
            vocab[i] = "w" + Integer.toString(i, 36);
        }
        double[] cdf = new double[vocab.length];
        double sum = 0;
        for (int i = 0; i < vocab.length; i++) {
            sum += 1.0 / (i + 1);
            cdf[i] = sum;
        }
        Random rnd = new Random(seed);
        try (FSDataOutputStream os = fs.create(file, true);
                Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8)) {
            for (int l = 0; l < lines; l++) {
                for (int k = 0; k < 10; k++) {
                    double x = rnd.nextDouble() * sum;
                    int idx = java.util.Arrays.binarySearch(cdf, x);
                    w.write(vocab[idx < 0 ? -idx - 1 : idx]);
                    w.write(k == 9 ? "\n" : " ");
                }
            }
        }
        return fs.getFileStatus(file).getLen();
    }

    /** Reads {@code (word,count)} lines from a committed output directory. */
    public static List<String[]> readCounts(FileSystem fs, Path dir) throws java.io.IOException {
        List<String[]> out = new ArrayList<>();
        for (FileStatus st : fs.listStatus(dir, p -> p.getName().startsWith("part-"))) {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(fs.open(st.getPath()), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String body = line.substring(1, line.length() - 1);
                    int comma = body.lastIndexOf(',');
                    out.add(new String[] {body.substring(0, comma), body.substring(comma + 1)});
                }
            }
        }
        return out;
    }
}
