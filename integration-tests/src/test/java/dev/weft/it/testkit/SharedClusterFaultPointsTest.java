package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import dev.weft.events.StageState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.it.TestJobs;
import dev.weft.testkit.FaultPoint;
import dev.weft.testkit.JobEvents;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftClusterExtension;
import dev.weft.testkit.WeftTestCluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults injected at a named point of a job (the driver pauses there, see {@link FaultPoint}), each shown to have
 * happened and followed to the job's outcome. WordCount's first job has two stages: stage 0 writes shuffle 0, stage
 * 1 reads it and writes the output. Shares its cluster with the other {@code SharedCluster*} classes.
 */
@WeftCluster(shared = true)
class SharedClusterFaultPointsTest {
    private static final Path INPUT = new Path("/testkit/fault-points/words.txt");
    private static final Duration PAUSE_WITHIN = Duration.ofMinutes(3);
    private static List<String> expected;

    @BeforeAll
    static void writeInput(WeftTestCluster cluster) throws Exception {
        Demo.writeText(cluster.fileSystem(), INPUT, 20_000, 13);
        expected = Reference.wordCountLines(cluster.fileSystem(), INPUT);
    }

    @Test
    void aCorruptedMapOutputIsDetectedByItsReaderAndRecomputed(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/fault-points/corrupt-out");
        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(WordCount.class, List.of(mapsDone), INPUT.toString(), output.toString());
        AtomicReference<java.nio.file.Path> corrupted = new AtomicReference<>();
        job.at(mapsDone, PAUSE_WITHIN, () -> corrupted.set(cluster.corruptShuffleOutput(job, 0)));
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
        WeftAssertions.assertCommitted(cluster.fileSystem(), output);
        JobEvents events = outcome.events();
        assertTrue(events.tasksEndedIn(1, TaskState.FETCH_FAILED) >= 1, "a reader saw the corruption:\n" + events);
        // Exactly 2: the other reducer of the failed stage attempt reports the same corrupt block too, possibly after
        // the re-run registered its output; the scheduler keeps that output (it names another map attempt).
        assertEquals(2, events.stageAttempts(0), "the map stage ran again, once, for the corrupted output:\n" + events);
        assertTrue(
                !events.tasks(1, t -> t.error() == WeftError.SHUFFLE_BLOCK_CORRUPT)
                        .isEmpty(),
                "the reader's failure says the block was corrupt (" + corrupted.get() + "):\n" + events);
        assertEquals(1, WeftClusterExtension.sharedClustersStarted(), "the shared classes use one cluster");
    }

    @Test
    void aDeletedMapOutputIsRecomputed(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/fault-points/deleted-out");
        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(WordCount.class, List.of(mapsDone), INPUT.toString(), output.toString());
        AtomicReference<java.nio.file.Path> deleted = new AtomicReference<>();
        job.at(mapsDone, PAUSE_WITHIN, () -> deleted.set(cluster.deleteShuffleOutput(job, 0)));
        assertFalse(Files.exists(deleted.get()));
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
        JobEvents events = outcome.events();
        assertTrue(events.tasksEndedIn(1, TaskState.FETCH_FAILED) >= 1, "a reader missed the output:\n" + events);
        assertEquals(2, events.stageAttempts(0), "the map stage ran again, once, for the lost output:\n" + events);
    }

    @Test
    void anExecutorKilledAfterTheMapStageLosesNoMapOutput(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/fault-points/executor-out");
        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(WordCount.class, List.of(mapsDone), INPUT.toString(), output.toString());
        AtomicReference<ContainerId> killed = new AtomicReference<>();
        job.at(mapsDone, PAUSE_WITHIN, () -> killed.set(cluster.killExecutorContainer(job)));
        assertNotEquals(0, cluster.exitStatusOf(killed.get(), Duration.ofSeconds(60)));
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
        JobEvents events = outcome.events();
        assertEquals(1, events.departedExecutors().size(), events::toString);
        // The NodeManager's shuffle service still serves the dead executor's map outputs: nothing is recomputed.
        assertEquals(1, events.stageAttempts(0), events::toString);
        events.attemptsByPartition(0).forEach((partition, attempts) -> assertEquals(1, attempts, "map " + partition));
    }

    /**
     * The executor application (a second, unmanaged application) killed on its own while the driver pauses after the
     * map stage: the driver notices at its next allocate call, reports the executors lost with their map output (YARN
     * deletes a killed application's directories), starts a new executor application, and the job finishes exactly.
     * Afterwards neither application has a container left on any NodeManager.
     */
    @Test
    void aKilledExecutorApplicationIsReplacedAndTheJobFinishesExactly(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/fault-points/executor-app-out");
        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(WordCount.class, List.of(mapsDone), INPUT.toString(), output.toString());
        AtomicReference<ApplicationId> killed = new AtomicReference<>();
        job.at(mapsDone, PAUSE_WITHIN, () -> {
            ApplicationId executors = job.executorApplication();
            cluster.yarnClient().killApplication(executors, "test: the executor application dies on its own");
            killed.set(executors);
        });
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
        WeftAssertions.assertCommitted(cluster.fileSystem(), output);
        JobEvents events = outcome.events();
        assertTrue(events.stageAttempts(0) >= 2, "the lost map outputs were computed again:\n" + events);
        List<ApplicationReport> apps = job.executorApplications();
        assertEquals(2, apps.size(), apps::toString);
        assertEquals(killed.get(), apps.get(0).getApplicationId());
        assertEquals(YarnApplicationState.KILLED, apps.get(0).getYarnApplicationState());
        assertEquals(FinalApplicationStatus.SUCCEEDED, apps.get(1).getFinalApplicationStatus(), apps::toString);
        for (ApplicationReport app : apps) {
            awaitNoContainers(cluster, app.getApplicationId());
        }
    }

    /**
     * The driver's container killed by YARN (SIGKILL) while it pauses after the map stage, with two driver attempts
     * allowed: the second attempt runs the program's main again, finds the map outputs in the first attempt's journal
     * (still served by the NodeManagers for the first attempt's executor application, which it holds), runs no map
     * task and writes the exact output. The client sees one application, which succeeded; afterwards no container of
     * any of its applications is left.
     */
    @Test
    void aRestartedDriverRecoversTheMapOutputOfItsFirstAttemptFromTheJournal(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/fault-points/restarted-driver-out");
        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(
                WordCount.class,
                List.of(mapsDone),
                "-D",
                "weft.yarn.driver.max-attempts=2",
                INPUT.toString(),
                output.toString());
        AtomicReference<ContainerId> killed = new AtomicReference<>();
        job.at(mapsDone, PAUSE_WITHIN, () -> killed.set(cluster.killDriverContainer(job)));
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        assertEquals(FinalApplicationStatus.SUCCEEDED, outcome.driver().getFinalApplicationStatus(), outcome::toString);
        assertEquals(1, killed.get().getApplicationAttemptId().getAttemptId(), "the first attempt was killed");
        assertEquals(
                2,
                cluster.yarnClient()
                        .getApplicationAttempts(job.driverApplication())
                        .size(),
                "the ResourceManager started a second attempt");
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
        WeftAssertions.assertCommitted(cluster.fileSystem(), output);
        // The recorder's file is the second attempt's: it starts afresh with each attempt.
        JobEvents events = outcome.events();
        assertEquals(0, events.launchedAttempts(0), "no map task ran in the second attempt:\n" + events);
        assertTrue(
                events.of(WeftEvent.StageStateChanged.class).stream()
                        .anyMatch(e -> e.stageId() == 0
                                && e.to() == StageState.SUCCEEDED
                                && e.reason().contains("recovered from an earlier driver attempt")),
                "stage 0 succeeded from the journal:\n" + events);
        assertTrue(events.launchedAttempts(1) >= 1, events::toString);
        List<ApplicationReport> apps = job.executorApplications();
        assertEquals(2, apps.size(), "one executor application per driver attempt: " + apps);
        for (ApplicationReport app : apps) {
            awaitNoContainers(cluster, app.getApplicationId());
        }
        assertEquals(
                YarnApplicationState.KILLED,
                cluster.yarnClient()
                        .getApplicationReport(apps.get(0).getApplicationId())
                        .getYarnApplicationState(),
                "the second attempt ended the first attempt's executor application when it was done with it");
    }

    /**
     * A three-stage job whose driver is killed (SIGKILL through YARN) while its second stage runs (one of its three
     * tasks done): the second attempt takes the first stage's shuffle from the journal and runs the second stage
     * afresh (its shuffle was not complete, so nothing of it was journaled), then the third; the output is exact.
     */
    @Test
    void aDriverKilledInTheSecondOfThreeStagesKeepsTheFirst(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/fault-points/second-stage-out");
        JobOutcome outcome = countOfCountsRestartedAt(cluster, FaultPoint.tasksSucceeded(1, 1), output);
        JobEvents events = outcome.events(); // the second attempt's
        assertEquals(0, events.launchedAttempts(0), "the first stage was not recomputed:\n" + events);
        assertEquals(3, events.launchedAttempts(1), "the second stage ran again in full:\n" + events);
        assertEquals(3, events.launchedAttempts(2), events::toString);
    }

    /**
     * A three-stage job whose driver is killed (SIGKILL through YARN) once its output stage committed a partition: the
     * second attempt recovers both shuffles from the journal, resumes the first attempt's output staging directory and
     * writes only the partitions not committed yet; the output is exact, with no leftover, partial or duplicate file.
     */
    @Test
    void aDriverKilledWhileWritingItsOutputResumesItInTheNextAttempt(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/fault-points/resumed-output");
        JobOutcome outcome = countOfCountsRestartedAt(cluster, FaultPoint.tasksSucceeded(2, 1), output);
        assertEquals(3, cluster.fileSystem().listStatus(output, p -> p.getName().startsWith("part-")).length);
        JobEvents events = outcome.events(); // the second attempt's
        for (int stage : new int[] {0, 1}) {
            assertEquals(0, events.launchedAttempts(stage), "stage " + stage + " did not run again:\n" + events);
        }
        assertTrue(
                events.launchedAttempts(2) <= 2,
                "the partition the first attempt committed was not written again:\n" + events);
        // The line counter of the map stage the second attempt did not run comes from the journal.
        long inputLines;
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                cluster.fileSystem().open(INPUT), java.nio.charset.StandardCharsets.UTF_8))) {
            inputLines = in.lines().count();
        }
        try (var in = cluster.fileSystem().open(new Path(output + ".lines"))) {
            assertEquals(
                    Long.toString(inputLines),
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    "the accumulator counted every input line once");
        }
    }

    /**
     * The same kill while writing through Hadoop's TextOutputFormat and FileOutputCommitter, which cannot resume a
     * half-written output: the second attempt recovers both shuffles, removes what the first attempt's output had
     * (its journal says that attempt began it) and writes all three partitions again; the output is exact, with no
     * {@code _temporary} or duplicate part left.
     */
    @Test
    void aDriverKilledWhileWritingAHadoopOutputWritesItAgainInTheNextAttempt(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/fault-points/hadoop-output");
        JobOutcome outcome = countOfCountsRestartedAt(cluster, FaultPoint.tasksSucceeded(2, 1), output, "hadoop");
        JobEvents events = outcome.events(); // the second attempt's
        for (int stage : new int[] {0, 1}) {
            assertEquals(0, events.launchedAttempts(stage), "stage " + stage + " did not run again:\n" + events);
        }
        assertEquals(3, events.launchedAttempts(2), "every output partition written again:\n" + events);
        List<String> names = new java.util.ArrayList<>();
        for (var st : cluster.fileSystem().listStatus(output)) {
            names.add(st.getPath().getName());
        }
        names.sort(null);
        assertEquals(List.of("_SUCCESS", "part-r-00000", "part-r-00001", "part-r-00002"), names);
    }

    /**
     * Runs {@code TestJobs.CountOfCounts} with two driver attempts allowed, kills the first attempt's container when
     * it pauses at {@code killAt}, and checks what every restart must give: the client's success, two attempts, the
     * exact output, committed with nothing left beside it. Returns the outcome (its events are the second attempt's).
     */
    private static JobOutcome countOfCountsRestartedAt(
            WeftTestCluster cluster, FaultPoint killAt, Path output, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(
                List.of("-D", "weft.yarn.driver.max-attempts=2", INPUT.toString(), output.toString()));
        args.addAll(List.of(more));
        SubmittedJob job = cluster.submit(TestJobs.CountOfCounts.class, List.of(killAt), args.toArray(new String[0]));
        job.at(killAt, PAUSE_WITHIN, () -> cluster.killDriverContainer(job));
        JobOutcome outcome = job.await(Duration.ofMinutes(4));
        assertEquals(0, outcome.exitCode(), outcome::toString);
        assertEquals(
                2,
                cluster.yarnClient()
                        .getApplicationAttempts(job.driverApplication())
                        .size());
        WeftAssertions.assertTextOutputEquals(
                cluster.fileSystem(), output, Reference.countOfCountsLines(cluster.fileSystem(), INPUT));
        WeftAssertions.assertCommitted(cluster.fileSystem(), output);
        return outcome;
    }

    /** Waits (bounded) until no NodeManager runs a container of {@code app}: a NodeManager stops them asynchronously. */
    private static void awaitNoContainers(WeftTestCluster cluster, ApplicationId app) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<ContainerId> left = new java.util.ArrayList<>();
            for (int i = 0; i < cluster.embedded().nodeManagerCount(); i++) {
                cluster.embedded().nodeManager(i).getNMContext().getContainers().keySet().stream()
                        .filter(id ->
                                id.getApplicationAttemptId().getApplicationId().equals(app))
                        .forEach(left::add);
            }
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("containers of " + app + " still on their NodeManagers: " + left);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void killingTheDriverContainerEndsTheApplicationAsFailed(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/fault-points/driver-out");
        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(WordCount.class, List.of(mapsDone), INPUT.toString(), output.toString());
        AtomicReference<ContainerId> killed = new AtomicReference<>();
        job.at(mapsDone, PAUSE_WITHIN, () -> killed.set(cluster.killDriverContainer(job)));
        int exitStatus = cluster.exitStatusOf(killed.get(), Duration.ofSeconds(60));
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertNotEquals(0, exitStatus, "the driver container was killed");
        assertEquals(
                job.driverApplication(), killed.get().getApplicationAttemptId().getApplicationId());
        assertEquals(1, outcome.exitCode(), outcome::toString);
        assertEquals(FinalApplicationStatus.FAILED, outcome.driver().getFinalApplicationStatus(), outcome::toString);
        assertFalse(cluster.fileSystem().exists(new Path(output, "_SUCCESS")), "no output was committed");
    }
}
