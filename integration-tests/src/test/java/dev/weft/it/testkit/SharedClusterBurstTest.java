package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.junit.jupiter.api.Test;

/**
 * A burst: twenty applications submitted at once to one cluster, each a WordCount of an input of its own (different
 * seeds, so outputs cannot be swapped unnoticed). They run in uber mode (tasks inside the driver), so the burst lands on
 * the drivers queue alone: it is sized for ApplicationMasters (all of its share may hold them), runs as many drivers as
 * its capacity holds and keeps the others ACCEPTED until capacity frees. Every application must finish, succeeded,
 * with exactly its own output: nothing collides (staging, event logs, web UI ports, output commits, the NodeManagers'
 * services). Shares its cluster with the other {@code SharedCluster*} classes.
 */
@WeftCluster(shared = true)
class SharedClusterBurstTest {
    private static final int APPLICATIONS = 20;

    @Test
    void twentyApplicationsSubmittedAtOnceAllFinishWithTheirOwnExactOutput(WeftTestCluster cluster) throws Exception {
        List<Path> inputs = new ArrayList<>();
        List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < APPLICATIONS; i++) {
            Path input = new Path("/testkit/burst/in-" + i + ".txt");
            Demo.writeText(cluster.fileSystem(), input, 300, 1000 + i);
            inputs.add(input);
            expected.add(Reference.wordCountLines(cluster.fileSystem(), input));
        }
        List<SubmittedJob> jobs = new ArrayList<>();
        for (int i = 0; i < APPLICATIONS; i++) {
            jobs.add(cluster.submit(
                    WordCount.class,
                    "-D",
                    "weft.yarn.uber.enabled=true",
                    inputs.get(i).toString(),
                    "/testkit/burst/out-" + i));
        }
        Set<ApplicationId> drivers = new HashSet<>();
        for (int i = 0; i < APPLICATIONS; i++) {
            JobOutcome outcome = jobs.get(i).await(Duration.ofMinutes(10));
            assertEquals(0, outcome.exitCode(), outcome::toString);
            assertEquals(
                    FinalApplicationStatus.SUCCEEDED, outcome.driver().getFinalApplicationStatus(), outcome::toString);
            drivers.add(outcome.driver().getApplicationId());
            Path output = new Path("/testkit/burst/out-" + i);
            WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected.get(i));
            WeftAssertions.assertCommitted(cluster.fileSystem(), output);
        }
        assertEquals(APPLICATIONS, drivers.size(), "one driver application per submission: " + drivers);
    }
}
