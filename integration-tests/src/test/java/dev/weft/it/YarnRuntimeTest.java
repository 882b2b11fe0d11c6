package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.EmbeddedCluster;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.SignalContainerCommand;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The YARN runtime end to end on a real MiniYARNCluster (2 NodeManagers, drivers/executors queues) and
 * MiniDFSCluster (2 DataNodes): programs are submitted through RunJar, the code path of {@code yarn jar}.
 */
class YarnRuntimeTest {
    static EmbeddedCluster cluster;
    static FileSystem fs;
    static YarnClient yarn;
    static Path input;
    static Map<String, Long> reference;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("weft.client.noExit", "true");
        cluster = EmbeddedCluster.start(java.nio.file.Path.of("target/it-yarn").toAbsolutePath(), 2, 2, Map.of());
        fs = cluster.fileSystem();
        input = new Path("/it/input/words.txt");
        Demo.writeText(fs, input, 20_000, 7);
        reference = ItSupport.referenceCounts(fs, input);
        yarn = YarnClient.createYarnClient();
        yarn.init(cluster.conf());
        yarn.start();
    }

    @AfterAll
    static void stop() {
        if (yarn != null) {
            yarn.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static List<ApplicationReport> apps(String type) throws Exception {
        return yarn.getApplications(Set.of(type));
    }

    static int runJar(Class<?> mainClass, String... args) throws Throwable {
        return ItSupport.runJar(cluster, mainClass, args);
    }

    static Map<String, Long> readOutput(Path dir) throws Exception {
        return ItSupport.readOutput(fs, dir);
    }

    static ApplicationReport latest(String type) throws Exception {
        return ItSupport.latest(yarn, type);
    }

    static ApplicationReport executorAppOf(ApplicationId driver) throws Exception {
        return ItSupport.executorAppOf(yarn, driver);
    }

    @Test
    void wordCountThroughYarnJarMatchesReferenceWithDriverAndExecutorsInTheirQueues() throws Throwable {
        Path out = new Path("/it/wordcount-out");
        // Observe the RM while the job runs: which queue each application is in and what it holds.
        Map<String, Integer> maxContainers = new ConcurrentHashMap<>();
        Map<String, String> queues = new ConcurrentHashMap<>();
        CompletableFuture<Void> watching = new CompletableFuture<>();
        Thread watcher = new Thread(
                () -> {
                    try {
                        while (!watching.isDone()) {
                            for (ApplicationReport r : yarn.getApplications(
                                    Set.of("WEFT", "WEFT-EXECUTORS"), EnumSet.of(YarnApplicationState.RUNNING))) {
                                String key = r.getApplicationType();
                                queues.put(key, r.getQueue());
                                if (r.getApplicationResourceUsageReport() != null) {
                                    maxContainers.merge(
                                            key,
                                            r.getApplicationResourceUsageReport()
                                                    .getNumUsedContainers(),
                                            Math::max);
                                }
                            }
                            Thread.sleep(100);
                        }
                    } catch (Exception e) {
                        watching.completeExceptionally(e);
                    }
                },
                "rm-watcher");
        watcher.start();
        int code = runJar(WordCount.class, input.toString(), out.toString());
        watching.complete(null);
        watcher.join();

        assertEquals(0, code);
        assertEquals(reference, readOutput(out));
        assertTrue(fs.exists(new Path(out, "_SUCCESS")));
        ApplicationReport driver = latest("WEFT");
        assertEquals(YarnApplicationState.FINISHED, driver.getYarnApplicationState());
        assertEquals(FinalApplicationStatus.SUCCEEDED, driver.getFinalApplicationStatus());
        assertEquals("root.drivers", queues.get("WEFT"));
        assertEquals("root.executors", queues.get("WEFT-EXECUTORS"));
        assertTrue(
                maxContainers.getOrDefault("WEFT-EXECUTORS", 0) >= 1,
                "executor containers were charged to the executor application: " + maxContainers);
        ApplicationReport executors = executorAppOf(driver.getApplicationId());
        assertNotNull(executors, "the executor application is tagged with its driver");
        assertEquals("root.executors", executors.getQueue());
        Path staging = new Path(fs.getHomeDirectory(), ".weftStaging/" + driver.getApplicationId());
        assertFalse(fs.exists(staging), "staging directory removed: " + staging);
    }

    @Test
    void submissionFailsFastForAMissingQueueOrAnOversizedContainer() throws Throwable {
        int before = apps("WEFT").size();
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        int missingQueue;
        int oversized;
        try {
            missingQueue = runJar(
                    WordCount.class, "-D", "weft.yarn.executor.queue=nosuchqueue", input.toString(), "/it/never-1");
            oversized = runJar(WordCount.class, "-D", "weft.executor.memory=64g", input.toString(), "/it/never-2");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(2, missingQueue);
        assertEquals(2, oversized);
        assertTrue(out.contains("queue 'nosuchqueue' (weft.yarn.executor.queue) does not exist"), out);
        assertTrue(out.contains("maximum allocation") && out.contains("weft.executor.memory"), out);
        assertEquals(before, apps("WEFT").size(), "no application was submitted");
    }

    @Test
    void stagedJarsAreReusedAcrossSubmissions() throws Throwable {
        Path cache = new Path(fs.getHomeDirectory(), ".weftStaging/cache");
        assertEquals(1, runJar(TestJobs.FailingJob.class));
        Map<String, Long> first = new TreeMap<>();
        for (var st : fs.listStatus(cache)) {
            first.put(st.getPath().getName(), st.getModificationTime());
        }
        assertEquals(1, runJar(TestJobs.FailingJob.class));
        Map<String, Long> second = new TreeMap<>();
        for (var st : fs.listStatus(cache)) {
            second.put(st.getPath().getName(), st.getModificationTime());
        }
        assertTrue(!first.isEmpty());
        assertEquals(first, second, "the second submission uploaded nothing new");
    }

    @Test
    void aFailingJobEndsFailedWithDiagnosticsNamingStageTaskAndException() throws Throwable {
        int code = runJar(TestJobs.FailingJob.class);
        assertEquals(1, code);
        ApplicationReport driver = latest("WEFT");
        assertEquals(FinalApplicationStatus.FAILED, driver.getFinalApplicationStatus());
        String diag = driver.getDiagnostics();
        assertTrue(diag.contains("stage") && diag.contains("map at TestJobs.java"), diag);
        assertTrue(diag.contains("partition 3 failed 4 times"), diag);
        assertTrue(diag.contains("IllegalStateException: record 77 is poisoned"), diag);
    }

    @Test
    void killingTheDriverEndsTheExecutorApplication() throws Throwable {
        String gate = "/it/gate-kill";
        fs.mkdirs(new Path(gate));
        CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> {
            try {
                // A driver YARN could restart: the kill must still end its executor application at once, not
                // leave it to the next attempt (which never comes) or its lease.
                return runJar(
                        TestJobs.GatedWordCount.class,
                        "-D",
                        "weft.yarn.driver.max-attempts=2",
                        gate,
                        input.toString(),
                        "/it/kill-out");
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
        awaitStarted(gate, 1);
        ApplicationReport driver = latest("WEFT");
        ApplicationReport executors = executorAppOf(driver.getApplicationId());
        assertNotNull(executors);
        long killedAt = System.nanoTime();
        yarn.killApplication(driver.getApplicationId());
        assertEquals(1, (int) job.get(120, TimeUnit.SECONDS));
        YarnApplicationState end = awaitEnd(executors.getApplicationId(), 90);
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        assertTrue(
                EnumSet.of(YarnApplicationState.KILLED, YarnApplicationState.FINISHED, YarnApplicationState.FAILED)
                        .contains(end),
                "executor application ended: " + end);
        // Well before the executor application's 60 s lease would have ended it.
        assertTrue(seconds < 45, "executor application ended " + seconds + " s after the driver was killed");
    }

    @Test
    void anExecutorKilledMidStageHasItsTasksReRunAndTheOutputIsExact() throws Throwable {
        String gate = "/it/gate-exec";
        fs.mkdirs(new Path(gate));
        Path out = new Path("/it/exec-kill-out");
        CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> {
            try {
                return runJar(TestJobs.GatedWordCount.class, gate, input.toString(), out.toString());
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
        awaitStarted(gate, 4);
        ApplicationReport driver = latest("WEFT");
        ApplicationReport executors = executorAppOf(driver.getApplicationId());
        List<ContainerReport> containers = yarn.getContainers(
                yarn.getApplicationAttempts(executors.getApplicationId()).get(0).getApplicationAttemptId());
        assertFalse(containers.isEmpty());
        yarn.signalToContainer(containers.get(0).getContainerId(), SignalContainerCommand.FORCEFUL_SHUTDOWN);
        awaitRetried(gate);
        fs.create(new Path(gate, "release"), true).close();
        assertEquals(0, (int) job.get(180, TimeUnit.SECONDS));
        assertEquals(reference, readOutput(out));
    }

    /** Waits until {@code n} first attempts have announced themselves (they run now). */
    /**
     * The race behind a flaky assertion: the driver used to unregister first and delete its staging directory
     * afterwards, so whoever saw the final state could still find the directory. The test polls the RM
     * tightly and looks at the directory at the first report of a final state, over many submissions that
     * succeed and fail. A leftover of an application from an earlier RM incarnation is removed by the next
     * submission.
     */
    @Test
    void theStagingDirectoryIsGoneWhenTheResourceManagerReportsTheFinalState() throws Throwable {
        Path root = new Path(fs.getHomeDirectory(), ".weftStaging");
        ApplicationId previous = latestIdOrNull();
        long clusterTimestamp = previous == null ? 1L : previous.getClusterTimestamp();
        Path leftover = new Path(
                root, ApplicationId.newInstance(clusterTimestamp - 1, 1).toString());
        fs.mkdirs(leftover);
        int submissions = 20;
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < submissions; i++) {
                boolean fail = i % 4 == 3;
                Future<Integer> exit = client.submit(() -> {
                    try {
                        return runJar(TestJobs.EmptyProgram.class, fail ? "fail" : "ok");
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                });
                ApplicationId app = awaitNewerApplication(previous, exit);
                Path staging = new Path(root, app.toString());
                ApplicationReport end = awaitFirstFinalReport(app);
                boolean present = fs.exists(staging);
                assertFalse(
                        present,
                        "submission " + i + ": " + staging + " still exists when the RM reports "
                                + end.getYarnApplicationState() + "/" + end.getFinalApplicationStatus());
                assertEquals(fail ? 1 : 0, exit.get(120, TimeUnit.SECONDS), "client exit code of submission " + i);
                assertEquals(
                        fail ? FinalApplicationStatus.FAILED : FinalApplicationStatus.SUCCEEDED,
                        end.getFinalApplicationStatus());
                previous = app;
            }
        } finally {
            client.shutdownNow();
        }
        assertFalse(fs.exists(leftover), "a leftover of an ended application is removed by the next submission");
    }

    private static ApplicationId latestIdOrNull() throws Exception {
        ApplicationReport r = latest("WEFT");
        return r == null ? null : r.getApplicationId();
    }

    private static ApplicationId awaitNewerApplication(ApplicationId previous, Future<Integer> client)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            ApplicationId latest = latestIdOrNull();
            if (latest != null && (previous == null || latest.compareTo(previous) > 0)) {
                return latest;
            }
            if (client.isDone()) {
                throw new AssertionError(
                        "the client ended (exit " + client.get() + ") before its application appeared");
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no application newer than " + previous + " within 60 s");
    }

    /** Polls the RM every few milliseconds and returns its first report of a final state. */
    private static ApplicationReport awaitFirstFinalReport(ApplicationId app) throws Exception {
        Set<YarnApplicationState> ended =
                EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            ApplicationReport r = yarn.getApplicationReport(app);
            if (ended.contains(r.getYarnApplicationState())) {
                return r;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(app + " did not end within 120 s");
    }

    static void awaitStarted(String gate, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (fs.listStatus(new Path(gate), p -> p.getName().startsWith("started-")).length >= n) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(n + " tasks did not start within 120 s");
    }

    /** Waits until some partition started a second attempt (its first executor was lost). */
    static void awaitRetried(String gate) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Map<String, Integer> attempts = new HashMap<>();
            for (var st : fs.listStatus(new Path(gate), p -> p.getName().startsWith("started-"))) {
                String[] parts = st.getPath().getName().split("-");
                attempts.merge(parts[1], 1, Integer::sum);
            }
            if (attempts.values().stream().anyMatch(c -> c >= 2)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no task was re-run within 120 s after its executor was killed");
    }

    static YarnApplicationState awaitEnd(ApplicationId app, int seconds) throws Exception {
        return ItSupport.awaitEnd(yarn, app, seconds);
    }
}
