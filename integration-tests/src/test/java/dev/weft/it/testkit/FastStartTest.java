package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.WeftContext;
import dev.weft.core.Pair;
import dev.weft.events.ExecutorState;
import dev.weft.events.JobState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.JobEvents;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Start-up on YARN without stalls (issue 10). The cluster's DataNodes register under a name no NodeManager has
 * (storage-only hosts, or a DataNode named differently from the NodeManager beside it), so no executor can ever be
 * local to the data: the driver must ask for executors anywhere at once rather than wait for a node that cannot
 * host a container. And small jobs run inside the driver (uber mode) with no executor container at all, while a job
 * over the limits runs in containers.
 */
@WeftCluster(nodeManagers = 1, dataNodes = 1, dataNodeHostName = "storage.weft.invalid")
class FastStartTest {
    static final Path INPUT = new Path("/faststart/words.txt");
    static final String UBER_ON = "weft.yarn.uber.enabled=true";

    static List<String> expected;

    @BeforeAll
    static void writeInput(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Demo.writeText(fs, INPUT, 2_000, 3);
        expected = Reference.wordCountLines(fs, INPUT);
        String host = fs.getFileBlockLocations(INPUT, 0, 1)[0].getHosts()[0];
        assertEquals("storage.weft.invalid", host, "HDFS names the block's host as the DataNode registered");
    }

    @Test
    void executorsForDataOnHostsWithoutANodeManagerAreAskedForAnywhereAtOnce(WeftTestCluster cluster) throws Exception {
        Path out = new Path("/faststart/placement");
        // A strict wait far beyond the test's timeout: a strict request for the data's host would never be filled.
        JobOutcome outcome = cluster.submit(
                        WordCount.class,
                        "-D",
                        "weft.yarn.executor.strict-placement-wait=1h",
                        INPUT.toString(),
                        out.toString())
                .await(Duration.ofMinutes(3));
        assertTrue(outcome.succeeded(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), out, expected);

        List<WeftEvent.ExecutorRequested> requests = outcome.events().of(WeftEvent.ExecutorRequested.class);
        assertFalse(requests.isEmpty(), "the driver asked for executors: " + outcome.events());
        for (WeftEvent.ExecutorRequested r : requests) {
            assertFalse(r.strict(), "no NodeManager runs on storage.weft.invalid: " + r);
            assertFalse(r.relaxedAfterWait(), "nothing waited for a strict request: " + r);
        }
        assertTrue(
                requests.get(0).reason().contains("storage.weft.invalid"),
                "the reason names the data's host: " + requests.get(0));
        assertTrue(tasksRanOn(outcome.events()).stream().noneMatch("driver"::equals), "uber mode was off");
    }

    @Test
    void aTinyJobRunsInsideTheDriverWithoutAnyExecutorContainer(WeftTestCluster cluster) throws Exception {
        Path out = new Path("/faststart/tiny");
        JobOutcome outcome = cluster.submit(WordCount.class, "-D", UBER_ON, INPUT.toString(), out.toString())
                .await(Duration.ofMinutes(3));
        assertTrue(outcome.succeeded(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), out, expected);

        JobEvents events = outcome.events();
        assertEquals(Set.of("driver"), tasksRanOn(events), "every task ran inside the driver");
        assertEquals(List.of(), events.of(WeftEvent.ExecutorRequested.class), "no executor was asked for");
        assertEquals(0, containerMemorySeconds(outcome.executors()), "the executor application held no container");
    }

    @Test
    void aJobOverTheLimitsRunsInContainers(WeftTestCluster cluster) throws Exception {
        Path out = new Path("/faststart/large");
        JobOutcome outcome = cluster.submit(
                        WordCount.class,
                        "-D",
                        UBER_ON,
                        "-D",
                        "weft.yarn.uber.max-tasks=1",
                        INPUT.toString(),
                        out.toString())
                .await(Duration.ofMinutes(3));
        assertTrue(outcome.succeeded(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), out, expected);

        JobEvents events = outcome.events();
        Set<String> executors = tasksRanOn(events);
        assertFalse(executors.isEmpty());
        assertFalse(executors.contains("driver"), "no task ran inside the driver: " + executors);
        assertTrue(containerMemorySeconds(outcome.executors()) > 0, "executor containers ran: " + outcome);
    }

    @Test
    void aSmallJobThenALargeOneRetiresTheDriversExecutor(WeftTestCluster cluster) throws Exception {
        Path small = new Path("/faststart/then-small");
        Path large = new Path("/faststart/then-large");
        JobOutcome outcome = cluster.submit(
                        SmallThenLarge.class, "-D", UBER_ON, INPUT.toString(), small.toString(), large.toString())
                .await(Duration.ofMinutes(3));
        assertTrue(outcome.succeeded(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), small, expected);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), large, expected);

        JobEvents events = outcome.events();
        List<Integer> stagesInDriver = stagesRunOn(events, true);
        List<Integer> stagesInContainers = stagesRunOn(events, false);
        assertFalse(stagesInDriver.isEmpty(), events::toString);
        assertFalse(stagesInContainers.isEmpty(), events::toString);
        assertTrue(
                stagesInDriver.stream().mapToInt(Integer::intValue).max().getAsInt()
                        < stagesInContainers.stream()
                                .mapToInt(Integer::intValue)
                                .min()
                                .getAsInt(),
                "the small job's stages ran in the driver, the large one's in containers: driver " + stagesInDriver
                        + ", containers " + stagesInContainers);
        List<WeftEvent.ExecutorStateChanged> lost = events.lostExecutors();
        assertEquals(1, lost.size(), lost::toString);
        assertEquals("driver", lost.get(0).executorId());
        assertTrue(lost.get(0).reason().startsWith("retired"), lost.get(0).reason());
        assertEquals(
                2,
                events.of(WeftEvent.JobStateChanged.class).stream()
                        .filter(j -> j.to() == JobState.SUCCEEDED)
                        .count());
        assertTrue(events.of(WeftEvent.ExecutorStateChanged.class).stream()
                .anyMatch(
                        x -> x.to() == ExecutorState.RUNNING && !x.executorId().equals("driver")));
    }

    private static Set<String> tasksRanOn(JobEvents events) {
        return events.of(WeftEvent.TaskStateChanged.class).stream()
                .filter(t -> t.to() == TaskState.SUCCEEDED)
                .map(WeftEvent.TaskStateChanged::executorId)
                .collect(Collectors.toSet());
    }

    private static List<Integer> stagesRunOn(JobEvents events, boolean inDriver) {
        return events.of(WeftEvent.TaskStateChanged.class).stream()
                .filter(t -> t.to() == TaskState.SUCCEEDED && t.executorId().equals("driver") == inDriver)
                .map(WeftEvent.TaskStateChanged::stageId)
                .distinct()
                .sorted()
                .toList();
    }

    /** What the ResourceManager accounted to the application's containers; 0 when it had none (or none exists). */
    private static long containerMemorySeconds(ApplicationReport app) {
        return app == null ? 0 : app.getApplicationResourceUsageReport().getMemorySeconds();
    }

    /**
     * Two word counts of one input: the first with 2 reduce partitions (3 tasks, under the default uber limit of 8),
     * the second with 12 (13 tasks, over it).
     */
    public static final class SmallThenLarge {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                for (int i = 1; i <= 2; i++) {
                    ctx.textFile(a[0], 1)
                            .flatMap(WordCount::words)
                            .mapToPair(w -> Pair.of(w, 1L))
                            .reduceByKey(Long::sum, i == 1 ? 2 : 12)
                            .saveAsTextFile(a[i]);
                }
            }
        }
    }
}
