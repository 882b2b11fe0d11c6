package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.LogAggregationStatus;
import org.apache.hadoop.yarn.logaggregation.ContainerLogsRequest;
import org.apache.hadoop.yarn.logaggregation.filecontroller.LogAggregationFileController;
import org.apache.hadoop.yarn.logaggregation.filecontroller.LogAggregationFileControllerFactory;
import org.junit.jupiter.api.Test;

/**
 * With log aggregation on, as on a production cluster: once a job ended, YARN's log API (what {@code yarn logs} uses)
 * returns the driver's and the executors' logs, from the two applications, and they name the job's task attempts.
 */
@WeftCluster(logAggregation = true)
class LogAggregationTest {
    private static final Duration AGGREGATED_WITHIN = Duration.ofMinutes(2);

    @Test
    void theDriversAndTheExecutorsLogsComeBackThroughYarnsLogApiNamingTheTaskAttempts(WeftTestCluster cluster)
            throws Exception {
        Path input = new Path("/logs/words.txt");
        Path output = new Path("/logs/out");
        Demo.writeText(cluster.fileSystem(), input, 20_000, 11);
        List<String> expected = Reference.wordCountLines(cluster.fileSystem(), input);
        JobOutcome outcome = cluster.submit(WordCount.class, input.toString(), output.toString())
                .await(Duration.ofMinutes(4));
        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
        assertNotNull(outcome.executors(), outcome::toString);

        ApplicationId driverApp = outcome.driver().getApplicationId();
        ApplicationId executorApp = outcome.executors().getApplicationId();
        String driverLogs = aggregatedLogs(cluster, driverApp);
        String executorLogs = aggregatedLogs(cluster, executorApp);
        assertTrue(driverLogs.contains("driver.log"), "the driver's log file is among its application's logs");
        assertTrue(executorLogs.contains("executor.log"), "executor logs are among the executor application's");

        List<WeftEvent.TaskStateChanged> ended = outcome.events().of(WeftEvent.TaskStateChanged.class).stream()
                .filter(t -> t.from() != null && t.to() == TaskState.SUCCEEDED)
                .toList();
        assertFalse(ended.isEmpty());
        for (WeftEvent.TaskStateChanged t : ended) {
            String attempt = "task " + t.taskId() + " (stage " + t.stageId() + "." + t.stageAttempt() + " partition "
                    + t.partition() + " attempt " + t.attempt() + ")";
            assertTrue(driverLogs.contains(attempt), "the driver's log names " + attempt);
            assertTrue(executorLogs.contains(attempt), "the log of " + t.executorId() + " names " + attempt);
        }
    }

    /** Waits until YARN reports the application's logs aggregated, then reads them all through its log API. */
    private static String aggregatedLogs(WeftTestCluster cluster, ApplicationId app) throws Exception {
        long deadline = System.nanoTime() + AGGREGATED_WITHIN.toNanos();
        LogAggregationStatus status =
                cluster.yarnClient().getApplicationReport(app).getLogAggregationStatus();
        while (status != LogAggregationStatus.SUCCEEDED) {
            assertTrue(
                    status != LogAggregationStatus.FAILED && status != LogAggregationStatus.TIME_OUT,
                    app + ": log aggregation " + status);
            assertTrue(
                    System.nanoTime() < deadline,
                    app + ": logs not aggregated within " + AGGREGATED_WITHIN + " (" + status + ")");
            Thread.sleep(200);
            status = cluster.yarnClient().getApplicationReport(app).getLogAggregationStatus();
        }
        String owner = UserGroupInformation.getCurrentUser().getShortUserName();
        LogAggregationFileController reader =
                new LogAggregationFileControllerFactory(cluster.conf()).getFileControllerForRead(app, owner);
        ContainerLogsRequest request = new ContainerLogsRequest(
                app, null, true, owner, null, null, null, null, Set.of(), Long.MAX_VALUE, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(reader.readAggregatedLogs(request, out), app + ": YARN found no aggregated logs");
        return out.toString(StandardCharsets.UTF_8);
    }
}
