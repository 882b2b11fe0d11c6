package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import dev.weft.events.WeftEvent;
import dev.weft.examples.Demo;
import dev.weft.it.TestJobs;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftClusterExtension;
import dev.weft.testkit.WeftTestCluster;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.junit.jupiter.api.Test;

/**
 * An executor container killed while its tasks provably run (they announced themselves and wait for the test's
 * release marker, see {@link TestJobs.GatedWordCount}): the job replaces it, re-runs its tasks and still writes
 * exactly the reference output. Shares its cluster with {@link SharedClusterWordCountTest}.
 */
@WeftCluster(shared = true)
class SharedClusterExecutorKillTest {
    final WeftTestCluster cluster;

    SharedClusterExecutorKillTest(WeftTestCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void anExecutorKilledMidStageIsReplacedAndTheOutputIsExact() throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path input = new Path("/testkit/exec-kill/words.txt");
        Path output = new Path("/testkit/exec-kill/out");
        Path gate = new Path("/testkit/exec-kill/gate");
        Demo.writeText(fs, input, 20_000, 5);
        fs.mkdirs(gate);

        SubmittedJob job =
                cluster.submit(TestJobs.GatedWordCount.class, gate.toString(), input.toString(), output.toString());
        // Two executors with two cores each: all four map tasks run, each waiting for the release marker.
        Reference.awaitAttempts(fs, gate, 4, 1, 180);
        ContainerId killed = cluster.killExecutorContainer(job);
        int exitStatus = cluster.exitStatusOf(killed, Duration.ofSeconds(60));
        assertNotEquals(0, exitStatus, "exit status of the killed container " + killed);
        assertEquals(job.executorApplication(), killed.getApplicationAttemptId().getApplicationId());
        // The killed executor's tasks start again elsewhere before the release: the re-run is not a guess.
        Reference.awaitAttempts(fs, gate, 5, 2, 180);
        fs.create(new Path(gate, "release"), true).close();

        JobOutcome outcome = job.await(Duration.ofMinutes(4));
        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(fs, output, Reference.wordCountLines(fs, input));
        WeftAssertions.assertCommitted(fs, output);
        assertTrue(
                outcome.executorLogs().stream().anyMatch(c -> c.containerId().equals(killed.toString())),
                "the killed container's logs stay readable: " + outcome.executorLogs());
        // A SIGKILL on request is reported as a kill, not as running out of memory (issue 11).
        List<WeftEvent.ExecutorStateChanged> lost = outcome.events().lostExecutors().stream()
                .filter(e -> e.reason().contains(killed.toString()))
                .toList();
        assertEquals(1, lost.size(), () -> outcome.events().lostExecutors().toString());
        assertTrue(
                lost.get(0).reason().contains(killed + " was killed"),
                lost.get(0).reason());
        assertFalse(lost.get(0).reason().contains("memory"), lost.get(0).reason());
        assertEquals(WeftError.EXECUTOR_LOST, lost.get(0).error());

        assertEquals(1, WeftClusterExtension.sharedClustersStarted(), "both shared classes use one cluster");
    }
}
