package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.EmbeddedCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceManager;
import org.apache.hadoop.yarn.server.resourcemanager.monitor.capacity.ProportionalCapacityPreemptionPolicy;
import org.apache.hadoop.yarn.server.resourcemanager.monitor.capacity.TempQueuePerPartition;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The drivers' queue guarantee on a real MiniYARNCluster with the shipped layout, its preemption monitor on and
 * the NodeManager shuffle service loaded: a job whose executors fill the executor queue's maximum does not keep
 * a second job's driver waiting, because YARN takes capacity back and Weft's executor application gives it.
 *
 * <p>Sizes (2 NodeManagers × 4096 MiB = 8192 MiB; the executors queue is guaranteed 80 % = 6554 MiB and may
 * grow to 90 % = 7372 MiB): the greedy job's driver (768 MiB) runs in {@code default} and its executors are
 * 1024 MiB each, so 7 of them (7168 MiB, above the guarantee) pack both nodes (768 + 3 × 1024 and 4 × 1024) and
 * leave 256 MiB free, less than a driver container. It has more map partitions than executors beyond the ones
 * that finish at once, so every executor runs a waiting task when the second driver arrives.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PreemptionTest {
    private static final String INTERVAL_KEY = "yarn.resourcemanager.monitor.capacity.preemption.monitoring_interval";
    private static final String MAX_WAIT_KEY = "yarn.resourcemanager.monitor.capacity.preemption.max_wait_before_kill";
    private static final int MAP_PARTITIONS = 11;
    /** Map partitions that finish at once; the rest wait for the release marker, holding their executors. */
    private static final int FREE_PARTITIONS = 4;

    private static final int GREEDY_EXECUTORS = 7;
    /** How long a driver that has its container may take to start and register on a loaded 2-core machine. */
    private static final long DRIVER_START_MS = 120_000;

    static EmbeddedCluster cluster;
    static FileSystem fs;
    static YarnClient yarn;
    static Path input;
    static Map<String, Long> reference;

    @BeforeAll
    static void start() throws Exception {
        String jar = System.getProperty("weft.aux.jar");
        assertTrue(jar != null && Files.exists(java.nio.file.Path.of(jar)), "shaded shuffle service jar: " + jar);
        Map<String, String> aux = Map.of(
                "yarn.nodemanager.aux-services", "weft_shuffle",
                "yarn.nodemanager.aux-services.weft_shuffle.class", "dev.weft.shuffle.yarn.WeftShuffleService",
                "yarn.nodemanager.aux-services.weft_shuffle.classpath", jar,
                "weft.shuffle.service.port", "0");
        cluster = EmbeddedCluster.start(
                java.nio.file.Path.of("target/it-preemption").toAbsolutePath(), 2, 1, aux);
        fs = cluster.fileSystem();
        input = new Path("/it/input/words.txt");
        Demo.writeText(fs, input, 20_000, 17);
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

    @Test
    @Order(1)
    void aWaitingDriverGetsItsGuaranteeBackAndTheGreedyJobLosesNoWrittenMapOutput() throws Throwable {
        String gate = "/it/preemption/gate";
        fs.mkdirs(new Path(gate));
        Path greedyOut = new Path("/it/preemption/greedy-out");
        Path secondOut = new Path("/it/preemption/second-out");
        CompletableFuture<Integer> greedy = runAsync(
                TestJobs.GreedyWordCount.class,
                "-D",
                "weft.yarn.driver.queue=default",
                "-D",
                "weft.executor.memory=640m",
                "-D",
                "weft.executor.cores=1",
                "-D",
                "weft.executor.instances=8",
                "-D",
                "weft.task.max-attempts=1",
                gate,
                input.toString(),
                greedyOut.toString(),
                Integer.toString(MAP_PARTITIONS),
                Integer.toString(FREE_PARTITIONS));
        CompletableFuture<Integer> second;
        try {
            second = preemptForASecondDriver(greedy, gate, secondOut);
        } finally {
            // Also when an assertion failed: the greedy job must not hold the cluster for the next test.
            fs.create(new Path(gate, "release"), true).close();
        }
        assertEquals(0, second.get(300, TimeUnit.SECONDS), "the second job's exit code");
        assertEquals(0, greedy.get(300, TimeUnit.SECONDS), "the greedy job's exit code");
        assertEquals(reference, ItSupport.readOutput(fs, secondOut));
        assertEquals(reference, ItSupport.readOutput(fs, greedyOut));

        Map<Integer, Integer> attempts = attemptsByPartition(gate);
        for (int p = 0; p < FREE_PARTITIONS; p++) {
            assertEquals(
                    1, attempts.get(p), "partition " + p + " wrote its map output once and never re-ran: " + attempts);
        }
        int rerun = 0;
        for (int p = FREE_PARTITIONS; p < MAP_PARTITIONS; p++) {
            int n = attempts.getOrDefault(p, 0);
            assertTrue(n == 1 || n == 2, "partition " + p + " ran " + n + " times: " + attempts);
            rerun += n - 1;
        }
        Map<String, Long> counters = counters(gate);
        assertTrue(rerun >= 1, "a preempted task was re-run: " + attempts + " " + counters);
        assertEquals(Long.valueOf(rerun), counters.get("tasksPreempted"), "every re-run was a preemption: " + counters);
        assertTrue(counters.get("executorsPreempted") >= 1, counters.toString());
        assertEquals(Long.valueOf(0), counters.get("tasksFailed"), "preemption counts against no task: " + counters);
        System.out.println("preemption: greedy attempts " + attempts + "; counters " + counters);
    }

    /**
     * Once the greedy job holds the executors queue's maximum with every executor busy, submits a second job and
     * checks that its driver runs within the bound the preemption settings imply; returns the running job.
     */
    private static CompletableFuture<Integer> preemptForASecondDriver(
            CompletableFuture<Integer> greedy, String gate, Path secondOut) throws Exception {
        // Every executor runs a waiting partition: the free ones (launched first) have written their map output.
        awaitStartedPartitions(gate, FREE_PARTITIONS + GREEDY_EXECUTORS, greedy);
        ApplicationReport greedyDriver = ItSupport.latest(yarn, "WEFT");
        ApplicationReport greedyExecutors = ItSupport.executorAppOf(yarn, greedyDriver.getApplicationId());
        assertNotNull(greedyExecutors, "the greedy job's executor application");
        ApplicationId greedyExecutorsId = greedyExecutors.getApplicationId();
        ResourceManager rm = cluster.yarn().getResourceManager();
        int containers = greedyExecutors.getApplicationResourceUsageReport().getNumUsedContainers();
        long freeMiB = rm.getResourceScheduler().getRootQueueMetrics().getAvailableMB();
        System.out.println("preemption: greedy executors hold " + containers + " containers; " + freeMiB
                + " MiB free; started " + attemptsByPartition(gate));
        assertEquals(GREEDY_EXECUTORS, containers, "the executors queue's maximum and the nodes fit 7 executors");
        assertTrue(freeMiB < 768, "the scenario needs a full cluster; free: " + freeMiB + " MiB");

        CompletableFuture<Integer> second =
                runAsync(WordCount.class, "-D", "weft.executor.instances=1", input.toString(), secondOut.toString());
        ApplicationId secondDriver = awaitNewDriver(greedyDriver.getApplicationId(), second);
        long submitted = System.nanoTime();
        // What preemption decides is when the driver gets its container: interval + max wait before kill, twice
        // over for a round that just missed, plus a node heartbeat. Starting its JVM afterwards is not preemption's
        // doing and only needs to happen eventually.
        Configuration rmConf = rm.getConfig();
        long boundMs = 2 * (rmConf.getLong(INTERVAL_KEY, 3000) + rmConf.getLong(MAX_WAIT_KEY, 15000)) + 5_000;
        List<String> timeline = new ArrayList<>();
        // Preemption's part: within the bound the driver's AM has a container, and the greedy job gave capacity
        // back. The executor application asks for nothing while the RM takes containers back (PreemptionReask):
        // when the scheduler had reserved the AM on the other, still full node, a request of the greedy job could
        // otherwise win the node preemption freed, and the driver waited until the greedy job ended.
        boolean allocated = awaitReport(secondDriver, r -> usedContainers(r) > 0, boundMs, timeline);
        long allocatedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitted);
        assertTrue(
                allocated,
                "the second driver's AM has no container after " + allocatedMs + " ms (bound " + boundMs + " ms; "
                        + reservedMiB(secondDriver) + " MiB reserved for it): "
                        + yarn.getApplicationReport(secondDriver).getDiagnostics() + "\npolicy timeline:\n"
                        + String.join("\n", timeline));
        ApplicationReport greedyNow = yarn.getApplicationReport(greedyExecutorsId);
        assertTrue(
                usedContainers(greedyNow) < GREEDY_EXECUTORS
                        || awaitReport(greedyExecutorsId, r -> usedContainers(r) < GREEDY_EXECUTORS, boundMs, timeline),
                "the greedy job gave nothing back: " + String.join("\n", timeline));
        assertTrue(
                awaitReport(
                        secondDriver,
                        r -> r.getYarnApplicationState() == YarnApplicationState.RUNNING,
                        DRIVER_START_MS,
                        new ArrayList<>()),
                "the second driver got its container but did not start within " + DRIVER_START_MS + " ms");
        long runningMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - submitted);
        assertFalse(greedy.isDone(), "the greedy job still holds its tasks");
        System.out.println("preemption: second driver's AM allocated " + allocatedMs + " ms after submission (bound "
                + boundMs + " ms), RUNNING after " + runningMs + " ms; policy timeline:\n"
                + String.join("\n", timeline));
        return second;
    }

    @Test
    @Order(2)
    void theClientWarnsNamingTheSettingWhenTheExecutorQueueCannotBePreempted() throws Throwable {
        ResourceManager rm = cluster.yarn().getResourceManager();
        Configuration original = new Configuration(rm.getConfig());
        Configuration off = new Configuration(original);
        off.setBoolean("yarn.resourcemanager.scheduler.monitor.enable", false);
        rm.getResourceScheduler().reinitialize(off, rm.getRMContext());
        String printed;
        try {
            assertTrue(yarn.getQueueInfo("executors").getPreemptionDisabled(), "the layout copy has preemption off");
            printed = clientOutput(TestJobs.EmptyProgram.class);
        } finally {
            rm.getResourceScheduler().reinitialize(original, rm.getRMContext());
        }
        assertTrue(
                printed.contains("WARNING") && printed.contains("yarn.resourcemanager.scheduler.monitor.enable"),
                printed);
        assertFalse(yarn.getQueueInfo("executors").getPreemptionDisabled(), "the shipped layout is back");
        assertFalse(clientOutput(TestJobs.EmptyProgram.class).contains("WARNING"), "no warning with preemption on");
    }

    private static String clientOutput(Class<?> main) throws Throwable {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, ItSupport.runJar(cluster, main));
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        saved.print(out);
        return out;
    }

    private static CompletableFuture<Integer> runAsync(Class<?> main, String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ItSupport.runJar(cluster, main, args);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
    }

    /** Waits until {@code n} partitions have started at least once. */
    private static void awaitStartedPartitions(String gate, int n, CompletableFuture<Integer> job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (attemptsByPartition(gate).size() < n) {
            assertFalse(job.isDone(), "the greedy job ended early: exit " + (job.isDone() ? job.getNow(-1) : ""));
            assertTrue(System.nanoTime() < deadline, "partitions started: " + attemptsByPartition(gate));
            Thread.sleep(200); // polling HDFS markers the tasks write
        }
    }

    /** The second job's driver application, once the RM knows it (a WEFT application newer than the greedy one). */
    private static ApplicationId awaitNewDriver(ApplicationId after, CompletableFuture<Integer> job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            for (ApplicationReport r : yarn.getApplications(Set.of("WEFT"))) {
                if (r.getApplicationId().compareTo(after) > 0) {
                    return r.getApplicationId();
                }
            }
            assertFalse(job.isDone(), "the second submission ended before the RM knew it");
            assertTrue(System.nanoTime() < deadline, "the second driver was not submitted within 60 s");
            Thread.sleep(50); // polling the RM's application list
        }
    }

    /**
     * Polls the RM's report of the application until {@code done} holds or {@code ms} passed, recording each change
     * of the preemption policy's view meanwhile ({@link #policyView}) so that a failure says what it saw and when.
     */
    private static boolean awaitReport(
            ApplicationId app, Predicate<ApplicationReport> done, long ms, List<String> timeline) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(ms);
        ApplicationReport r = yarn.getApplicationReport(app);
        String last = "";
        while (!done.test(r)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            String view = r.getYarnApplicationState() + " containers=" + usedContainers(r) + " " + policyView(app);
            if (!view.equals(last)) {
                timeline.add("+" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms " + view);
                last = view;
            }
            Thread.sleep(100); // polling the RM's report of the application
            r = yarn.getApplicationReport(app);
        }
        return true;
    }

    /** Memory the scheduler has reserved on a node for the application's current attempt (its AM, here). */
    private static long reservedMiB(ApplicationId app) {
        ResourceManager rm = cluster.yarn().getResourceManager();
        CapacityScheduler cs = (CapacityScheduler) rm.getResourceScheduler();
        var attempt = rm.getRMContext().getRMApps().get(app).getCurrentAppAttempt();
        var schedulerApp = attempt == null ? null : cs.getApplicationAttempt(attempt.getAppAttemptId());
        return schedulerApp == null ? 0 : schedulerApp.getCurrentReservation().getMemorySize();
    }

    private static int usedContainers(ApplicationReport r) {
        return r.getApplicationResourceUsageReport() == null
                ? 0
                : r.getApplicationResourceUsageReport().getNumUsedContainers();
    }

    /**
     * What the ResourceManager's preemption policy computed in its latest round for the driver and executor
     * queues (current, pending, ideal), the containers it marked, and what the waiting application has reserved.
     */
    private static String policyView(ApplicationId waiting) {
        ResourceManager rm = cluster.yarn().getResourceManager();
        CapacityScheduler cs = (CapacityScheduler) rm.getResourceScheduler();
        if (cs.getSchedulingMonitorManager().isRSMEmpty()) {
            return "no preemption monitor";
        }
        ProportionalCapacityPreemptionPolicy policy = (ProportionalCapacityPreemptionPolicy)
                cs.getSchedulingMonitorManager().getAvailableSchedulingMonitor().getSchedulingEditPolicy();
        StringBuilder b = new StringBuilder();
        for (String q : List.of("root.drivers", "root.executors")) {
            TempQueuePerPartition t;
            try {
                t = policy.getQueueByPartition(q, "");
            } catch (RuntimeException e) {
                // The monitor thread rebuilds its per-queue map every round; read between a clear and a refill it
                // throws "cannot find TempQueuePerPartition". Only a diagnostic is lost: say so and read next poll.
                b.append(q).append(" (policy round in progress); ");
                continue;
            }
            if (t != null) {
                b.append(q)
                        .append(" cur=")
                        .append(t.getUsed())
                        .append(" pending=")
                        .append(t.getPending())
                        .append(" reserved=")
                        .append(t.getReserved())
                        .append(" ideal=")
                        .append(t.getIdealAssigned())
                        .append("; ");
            }
        }
        b.append("marked=").append(policy.getToPreemptContainers().size());
        b.append("; waiting app reserved ").append(reservedMiB(waiting)).append(" MiB");
        return b.toString();
    }

    /** How many attempts of each map partition started, from the {@code started-<p>-…} markers. */
    private static Map<Integer, Integer> attemptsByPartition(String gate) throws Exception {
        Map<Integer, Integer> out = new TreeMap<>();
        for (FileStatus st : fs.listStatus(new Path(gate))) {
            String name = st.getPath().getName();
            if (name.startsWith("started-")) {
                out.merge(Integer.parseInt(name.split("-")[1]), 1, Integer::sum);
            }
        }
        return out;
    }

    private static Map<String, Long> counters(String gate) throws Exception {
        Map<String, Long> out = new HashMap<>();
        List<String> lines = new ArrayList<>();
        try (var in = fs.open(new Path(gate, "counters"))) {
            lines.addAll(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
        for (String l : lines) {
            String[] kv = l.split("=");
            out.put(kv[0], Long.parseLong(kv[1]));
        }
        return out;
    }
}
