package dev.weft.examples;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.api.WeftContext;
import dev.weft.testkit.EmbeddedCluster;
import dev.weft.yarn.Jars;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.RunJar;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;

/**
 * {@code ./weft bench startup [runs]}: how long a tiny job takes on YARN from submission to the client's exit, and
 * where that time goes. Starts the embedded cluster once (2 NodeManagers, the drivers / executors queues, the
 * shuffle service), then runs {@link WordCount} over 1 KiB of text through the code path of {@code yarn jar}: a
 * warm-up and {@code runs} counted runs inside the driver (uber mode, the default for a job this small), then as many
 * with uber mode off (two executor containers). Each run prints its wall time and the driver's start-up line (from
 * the application's final diagnostics); each output is checked against a count computed here in plain Java.
 *
 * <p>The client runs inside this JVM, so a run's wall time excludes a client JVM's own start (about 0.5-1 s on the
 * 2-core machine; the peer harness in {@code ../shared/peers} measures whole client processes).
 */
@SuppressForbidden("a command-line benchmark: it reports to the terminal")
public final class StartupBenchmark {
    private StartupBenchmark() {}

    public static void main(String[] args) throws Throwable {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1: " + runs);
        }
        java.util.logging.LogManager.getLogManager().reset();
        java.nio.file.Path base =
                java.nio.file.Path.of("target/weft-bench-startup").toAbsolutePath();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(base, 2, 2, Map.of());
                YarnClient yarn = YarnClient.createYarnClient()) {
            yarn.init(cluster.conf());
            yarn.start();
            FileSystem fs = cluster.fileSystem();
            Path in = new Path("/bench/startup/input.txt");
            Demo.writeText(fs, in, 14, 7);
            Map<String, Long> reference = referenceCounts(fs, in);
            System.out.printf(
                    Locale.ROOT,
                    "startup: %d-byte input, %d distinct words%n",
                    fs.getFileStatus(in).getLen(),
                    reference.size());
            List<String> results = new ArrayList<>();
            for (boolean uber : new boolean[] {true, false}) {
                List<Double> walls = new ArrayList<>();
                for (int r = 0; r <= runs; r++) {
                    Path out = new Path("/bench/startup/out-" + (uber ? "uber-" : "containers-") + r);
                    long start = System.nanoTime();
                    int code = submit(cluster, uber, in, out);
                    double wall = (System.nanoTime() - start) / 1e9;
                    if (code != 0) {
                        throw new IllegalStateException("run " + r + " exited with " + code);
                    }
                    Map<String, Long> counts = readCounts(fs, out);
                    if (!counts.equals(reference)) {
                        throw new IllegalStateException("run " + r + " counted differently: " + counts);
                    }
                    String line = startupLine(latestDriver(yarn));
                    System.out.printf(
                            Locale.ROOT,
                            "startup: %-10s run %d%s wall %5.2f s  %s%n",
                            uber ? "uber" : "containers",
                            r,
                            r == 0 ? " (warm-up)" : "",
                            wall,
                            line);
                    if (r > 0) {
                        walls.add(wall);
                    }
                }
                walls.sort(Comparator.naturalOrder());
                results.add(String.format(
                        Locale.ROOT,
                        "startup: %-10s submit to client exit: min %.2f s, median %.2f s, max %.2f s (%d runs)",
                        uber ? "uber" : "containers",
                        walls.get(0),
                        walls.get(walls.size() / 2),
                        walls.get(walls.size() - 1),
                        walls.size()));
            }
            results.forEach(System.out::println);
        }
        System.exit(0);
    }

    private static int submit(EmbeddedCluster cluster, boolean uber, Path in, Path out) throws Throwable {
        List<String> args = new ArrayList<>();
        args.add(Jars.jarOf(WordCount.class).toString());
        args.add(WordCount.class.getName());
        args.addAll(cluster.genericOptions());
        args.addAll(List.of(
                "-D",
                "weft.driver.memory=512m",
                "-D",
                "weft.executor.memory=512m",
                "-D",
                "weft.executor.instances=2",
                "-D",
                "weft.yarn.uber.enabled=" + uber));
        args.add(in.toString());
        args.add(out.toString());
        System.setProperty("weft.client.noExit", "true");
        try {
            RunJar.main(args.toArray(new String[0]));
            return 0;
        } catch (WeftContext.ClientExit e) {
            return e.code();
        }
    }

    private static ApplicationReport latestDriver(YarnClient yarn) throws Exception {
        return yarn.getApplications(Set.of("WEFT")).stream()
                .max(Comparator.comparing(ApplicationReport::getApplicationId))
                .orElseThrow(() -> new IllegalStateException("no Weft application"));
    }

    private static String startupLine(ApplicationReport report) {
        String diagnostics = report.getDiagnostics() == null ? "" : report.getDiagnostics();
        return diagnostics
                .lines()
                .filter(l -> l.startsWith("start-up: "))
                .findFirst()
                .orElse("(no start-up line in the diagnostics of " + report.getApplicationId() + ")");
    }

    private static Map<String, Long> referenceCounts(FileSystem fs, Path file) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                for (String w : line.split(" ")) {
                    if (!w.isEmpty()) {
                        counts.merge(w, 1L, Long::sum);
                    }
                }
            }
        }
        return counts;
    }

    private static Map<String, Long> readCounts(FileSystem fs, Path dir) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        for (String[] c : Demo.readCounts(fs, dir)) {
            counts.put(c[0], Long.parseLong(c[1]));
        }
        return counts;
    }
}
