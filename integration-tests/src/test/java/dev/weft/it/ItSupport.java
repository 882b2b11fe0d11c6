package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.WeftContext;
import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.EmbeddedCluster;
import dev.weft.yarn.Jars;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.RunJar;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;

/** What the integration tests share: submitting through RunJar, reading outputs, finding applications. */
final class ItSupport {
    static final List<String> SMALL_CONTAINERS = List.of(
            "-D",
            "weft.driver.memory=384m",
            "-D",
            "weft.executor.memory=384m",
            "-D",
            "weft.executor.instances=2",
            "-D",
            "weft.executor.cores=2",
            // Test jobs are tiny, and uber mode would run them inside the driver: the faults and checks aimed at
            // executors need executor containers. A test of uber mode passes -D weft.yarn.uber.enabled=true.
            "-D",
            "weft.yarn.uber.enabled=false");

    private ItSupport() {}

    /** Runs a main class through RunJar (the code path of {@code yarn jar}); returns the client's exit code. */
    static int runJar(EmbeddedCluster cluster, Class<?> mainClass, String... programArgs) throws Throwable {
        System.setProperty("weft.client.noExit", "true");
        List<String> args = new ArrayList<>();
        args.add(Jars.jarOf(mainClass).toString());
        args.add(mainClass.getName());
        args.addAll(cluster.genericOptions());
        args.addAll(SMALL_CONTAINERS);
        args.addAll(List.of(programArgs));
        try {
            RunJar.main(args.toArray(new String[0]));
            return 0;
        } catch (WeftContext.ClientExit e) {
            return e.code();
        }
    }

    /** Word counts of a text file, computed in plain Java. */
    static Map<String, Long> referenceCounts(FileSystem fs, Path input) throws Exception {
        Map<String, Long> ref = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(input), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                WordCount.words(line).forEachRemaining(w -> ref.merge(w, 1L, Long::sum));
            }
        }
        return ref;
    }

    /** A committed WordCount output; fails if a word appears twice (a duplicated or partial part file). */
    static Map<String, Long> readOutput(FileSystem fs, Path dir) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (String[] c : Demo.readCounts(fs, dir)) {
            assertEquals(null, out.put(c[0], Long.parseLong(c[1])), "word " + c[0] + " written twice");
        }
        return out;
    }

    static ApplicationReport latest(YarnClient yarn, String type) throws Exception {
        ApplicationReport best = null;
        for (ApplicationReport r : yarn.getApplications(Set.of(type))) {
            if (best == null || r.getApplicationId().compareTo(best.getApplicationId()) > 0) {
                best = r;
            }
        }
        return best;
    }

    static ApplicationReport executorAppOf(YarnClient yarn, ApplicationId driver) throws Exception {
        for (ApplicationReport r : yarn.getApplications(Set.of("WEFT-EXECUTORS"))) {
            if (r.getApplicationTags()
                    .contains("weft-driver:" + driver.toString().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        return null;
    }

    /** Waits (bounded) until {@code file} exists: the job announced a phase. */
    static void awaitFile(FileSystem fs, Path file, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!fs.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not appear within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }

    static YarnApplicationState awaitEnd(YarnClient yarn, ApplicationId app, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        EnumSet<YarnApplicationState> ended =
                EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);
        while (System.nanoTime() < deadline) {
            YarnApplicationState s = yarn.getApplicationReport(app).getYarnApplicationState();
            if (ended.contains(s)) {
                return s;
            }
            Thread.sleep(200);
        }
        return yarn.getApplicationReport(app).getYarnApplicationState();
    }
}
