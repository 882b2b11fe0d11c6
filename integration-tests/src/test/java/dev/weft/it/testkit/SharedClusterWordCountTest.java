package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.ContainerLogs;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftClusterExtension;
import dev.weft.testkit.WeftTestCluster;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kit end to end on a shared cluster: {@link SharedClusterExecutorKillTest} asks for the same one, so the two
 * classes start one cluster between them, whichever runs first.
 */
@WeftCluster(shared = true)
class SharedClusterWordCountTest {
    static final Path INPUT = new Path("/testkit/wordcount/words.txt");
    static final Path OUTPUT = new Path("/testkit/wordcount/out");

    static List<String> expected;

    @BeforeAll
    static void writeInput(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Demo.writeText(fs, INPUT, 20_000, 3);
        expected = Reference.wordCountLines(fs, INPUT);
    }

    @Test
    void wordCountSubmittedAsYarnJarMatchesAPlainJavaCountAndLeavesItsLogs(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        JobOutcome outcome = cluster.submit(WordCount.class, INPUT.toString(), OUTPUT.toString())
                .await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        assertTrue(outcome.succeeded(), outcome::toString);
        assertEquals(FinalApplicationStatus.SUCCEEDED, outcome.driver().getFinalApplicationStatus());
        WeftAssertions.assertTextOutputEquals(fs, OUTPUT, expected);
        WeftAssertions.assertCommitted(fs, OUTPUT);

        assertNotNull(outcome.executors(), "the executors ran in an application of their own: " + outcome);
        assertEquals("root.executors", outcome.executors().getQueue());
        List<ContainerLogs> driverLogs = outcome.driverLogs();
        assertEquals(1, driverLogs.size(), "one driver attempt: " + driverLogs);
        assertTrue(
                driverLogs.get(0).files().contains("driver.log"),
                driverLogs.get(0).files().toString());
        assertFalse(driverLogs.get(0).read("driver.log").isBlank());
        assertFalse(outcome.executorLogs().isEmpty(), "executor container logs of " + outcome);

        assertTrue(cluster.shared());
        assertEquals(1, WeftClusterExtension.sharedClustersStarted(), "both shared classes use one cluster");
    }

    @Test
    void faultsThatDoNotHealAreRefusedOnASharedCluster(WeftTestCluster cluster) {
        assertThrows(IllegalStateException.class, () -> cluster.stopNodeManager(0));
        assertThrows(IllegalStateException.class, () -> cluster.stopDataNode(0));
    }
}
