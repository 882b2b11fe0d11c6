package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.ExecutorState;
import dev.weft.events.WeftEvent;
import dev.weft.examples.Demo;
import dev.weft.it.TestJobs;
import dev.weft.testkit.FaultPoint;
import dev.weft.testkit.JobEvents;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.container.ContainerState;
import org.junit.jupiter.api.Test;

/**
 * Dynamic allocation on the shared cluster: a wide stage whose tasks wait makes the driver ask for executors up to the
 * maximum; once it is done, idle executors are given back down to the minimum, and the narrow stage still reads their
 * map output through the NodeManagers' shuffle service. Container counts are read from the NodeManagers.
 */
@WeftCluster(shared = true)
class SharedClusterDynamicAllocationTest {
    @Test
    void aWideStageScalesUpAndIdleExecutorsAreGivenBackWhileTheNarrowStageReadsTheirOutput(WeftTestCluster cluster)
            throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path input = new Path("/testkit/elastic/words.txt");
        Path output = new Path("/testkit/elastic/out");
        Path gate = new Path("/testkit/elastic/gate");
        Demo.writeText(fs, input, 20_000, 29);
        fs.mkdirs(gate);

        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(
                TestJobs.ElasticWordCount.class,
                List.of(mapsDone),
                "-D",
                "weft.executor.instances=1",
                "-D",
                "weft.executor.cores=1",
                "-D",
                "weft.dynamic-allocation.min-executors=1",
                "-D",
                "weft.dynamic-allocation.max-executors=3",
                "-D",
                "weft.dynamic-allocation.backlog-timeout=500ms",
                "-D",
                "weft.executor.idle-timeout=2s",
                gate.toString(),
                input.toString(),
                output.toString());
        // Four map tasks wait at the gate on one single-core executor: the backlog asks for two more, and the gate
        // opens once all three registered with the driver (read from the events it has recorded so far).
        awaitRegisteredExecutors(job, 3);
        fs.create(new Path(gate, "release"), true).close();
        // The driver holds the narrow stage back; meanwhile the idle executors go, down to the minimum.
        job.at(
                mapsDone,
                Duration.ofMinutes(3),
                () -> awaitRunningContainers(
                        cluster, job.executorApplication(), n -> n == 1, "1 executor (the minimum)"));
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(fs, output, Reference.wordCountLines(fs, input));
        WeftAssertions.assertCommitted(fs, output);
        JobEvents events = outcome.events();
        assertEquals(1, events.stageAttempts(0), "no map output was lost with its executor:\n" + events);
        int live = 0;
        int most = 0;
        int idleLosses = 0;
        for (WeftEvent.ExecutorStateChanged x : events.of(WeftEvent.ExecutorStateChanged.class)) {
            if (x.to() == ExecutorState.RUNNING && x.from() == null) {
                most = Math.max(most, ++live);
            } else if (x.to() == ExecutorState.LOST) {
                live--;
                if (x.reason() != null && x.reason().contains("idle")) {
                    idleLosses++;
                }
            }
        }
        assertEquals(3, most, "executors over time went up to the maximum:\n" + events);
        assertEquals(2, idleLosses, "two idle executors were given back:\n" + events);
        assertTrue(
                events.of(WeftEvent.ExecutorRequested.class).size() >= 3,
                "the initial executor and two for the backlog were asked for:\n" + events);
    }

    /** Waits (bounded) until {@code n} executors registered with the job's driver. */
    private static void awaitRegisteredExecutors(SubmittedJob job, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long registered;
        while ((registered = job.events().of(WeftEvent.ExecutorStateChanged.class).stream()
                        .filter(x -> x.from() == null && x.to() == ExecutorState.RUNNING)
                        .count())
                < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 120 s for " + n + " executors to register; " + registered + " did");
            }
            Thread.sleep(200);
        }
    }

    /** Waits (bounded) until the NodeManagers run a number of {@code app}'s containers that {@code wanted} accepts. */
    private static void awaitRunningContainers(
            WeftTestCluster cluster, ApplicationId app, IntPredicate wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int n;
        while (!wanted.test(n = runningContainers(cluster, app))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 120 s for " + what + " of " + app + "; running: " + n);
            }
            Thread.sleep(100);
        }
    }

    private static int runningContainers(WeftTestCluster cluster, ApplicationId app) {
        int n = 0;
        for (int i = 0; i < cluster.embedded().nodeManagerCount(); i++) {
            for (var c : cluster.embedded()
                    .nodeManager(i)
                    .getNMContext()
                    .getContainers()
                    .values()) {
                if (c.getContainerId()
                                .getApplicationAttemptId()
                                .getApplicationId()
                                .equals(app)
                        && c.getContainerState() == ContainerState.RUNNING) {
                    n++;
                }
            }
        }
        return n;
    }
}
