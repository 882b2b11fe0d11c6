package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.ExclusionScope;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.FaultPoint;
import dev.weft.testkit.JobEvents;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;
import org.junit.jupiter.api.Test;

/**
 * Node faults on a cluster whose nodes are distinct hosts (127.0.0.2, 127.0.0.3), so that every task's host is known:
 * a NodeManager restarted under a running job (supervised recovery, as a rolling restart; MiniYARN's own NodeManagers
 * cannot recover, the kit's own can), and a node whose disk fails.
 */
@WeftCluster(nodeManagers = 2, dataNodes = 2, distinctHosts = true)
class DistinctHostsNodeFaultsTest {
    @Test
    void aNodeManagerRestartedUnderARunningJobKeepsItsExecutorAndServesItsMapOutputs(WeftTestCluster cluster)
            throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path input = new Path("/testkit/restart/words.txt");
        Path output = new Path("/testkit/restart/out");
        Demo.writeText(fs, input, 60_000, 17);

        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job =
                cluster.submit(WordCount.class, java.util.List.of(mapsDone), input.toString(), output.toString());
        AtomicReference<Set<ContainerId>> before = new AtomicReference<>();
        AtomicReference<Set<ContainerId>> recovered = new AtomicReference<>();
        job.at(mapsDone, Duration.ofMinutes(3), () -> {
            ApplicationId executors = job.executorApplication();
            int node = nodeRunning(cluster, executors);
            NodeManager old = cluster.embedded().nodeManager(node);
            before.set(containersOf(old, executors));
            NodeManager fresh = cluster.restartNodeManager(node);
            assertNotSame(old, fresh);
            assertEquals(fresh, cluster.embedded().nodeManager(node));
            recovered.set(containersOf(fresh, executors));
        });
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertFalse(before.get().isEmpty());
        assertEquals(before.get(), recovered.get(), "the new NodeManager recovered the running executor containers");
        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(fs, output, Reference.wordCountLines(fs, input));
        WeftAssertions.assertCommitted(fs, output);
        JobEvents events = outcome.events();
        assertTrue(events.lostExecutors().isEmpty(), "no executor was lost to the restart:\n" + events);
        // The reduce stage read every map output from the restarted service: nothing was computed again.
        assertEquals(1, events.stageAttempts(0), "map stage attempts:\n" + events);
        events.attemptsByPartition(0).forEach((partition, attempts) -> assertEquals(1, attempts, "map " + partition));
        assertEquals(0, events.tasksEndedIn(1, TaskState.FETCH_FAILED), "no reader failed a fetch:\n" + events);
    }

    /**
     * One executor, on one node; the node's disk fails once the program's first job committed its output. The second
     * job needs that node's map outputs (gone) and writes new ones there (impossible): its attempts fail there until the
     * scheduler excludes the node (two failures), gives the executor back and asks for one elsewhere (the node on the
     * application's placement blacklist); the job then finishes on the other node with the exact output.
     */
    @Test
    void aNodeWhoseDiskFailsIsExcludedAndTheJobFinishesOnTheOtherNode(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path input = new Path("/testkit/disk/words.txt");
        Path output = new Path("/testkit/disk/out");
        Demo.writeText(fs, input, 20_000, 19);

        FaultPoint firstJobDone = FaultPoint.jobSucceeded(0);
        SubmittedJob job = cluster.submit(
                WordCount.class,
                java.util.List.of(firstJobDone),
                "-D",
                "weft.executor.instances=1",
                input.toString(),
                output.toString());
        AtomicReference<String> brokenHost = new AtomicReference<>();
        AtomicReference<java.util.List<java.nio.file.Path>> failed = new AtomicReference<>();
        job.at(firstJobDone, Duration.ofMinutes(3), () -> {
            int node = nodeRunning(cluster, job.executorApplication());
            brokenHost.set(cluster.embedded().hosts().get(node));
            failed.set(cluster.failDisk(job, node));
            // Checked now: the NodeManager deletes the executor application's directories once it finishes.
            for (java.nio.file.Path p : failed.get()) {
                assertTrue(java.nio.file.Files.isRegularFile(p), p + " is a plain file where a directory was");
            }
        });
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(fs, output, Reference.wordCountLines(fs, input));
        WeftAssertions.assertCommitted(fs, output);
        JobEvents events = outcome.events();
        Map<String, String> hostOf = new HashMap<>();
        events.of(WeftEvent.ExecutorStateChanged.class).forEach(x -> hostOf.put(x.executorId(), x.host()));
        java.util.List<WeftEvent.TaskStateChanged> failures = events.of(WeftEvent.TaskStateChanged.class).stream()
                .filter(t -> t.to() == TaskState.FAILED)
                .toList();
        assertFalse(failures.isEmpty(), "tasks failed on the broken node:\n" + events);
        for (WeftEvent.TaskStateChanged t : failures) {
            assertEquals(brokenHost.get(), hostOf.get(t.executorId()), "where " + t + " ran");
            assertTrue(t.reason().contains("weft"), "the failure names the failed directory: " + t.reason());
        }
        java.util.List<WeftEvent.ExclusionChanged> exclusions = events.of(WeftEvent.ExclusionChanged.class);
        assertTrue(
                exclusions.stream()
                        .anyMatch(x -> x.scope() == ExclusionScope.NODE
                                && x.excluded()
                                && x.target().equals(brokenHost.get())),
                "the broken node was excluded: " + exclusions);
        Set<String> succeededOn = new TreeSet<>();
        events.of(WeftEvent.TaskStateChanged.class).stream()
                .filter(t -> t.to() == TaskState.SUCCEEDED && t.stageId() > 1)
                .forEach(t -> succeededOn.add(hostOf.get(t.executorId())));
        assertFalse(succeededOn.contains(brokenHost.get()), "the second job ran nothing on the broken node");
        assertEquals(1, succeededOn.size(), "the second job ran on the other node: " + succeededOn);
    }

    /**
     * Speculation: output partition 0's first attempt stops at its first record until it is killed, the others run
     * through; a copy on the other host finishes the job, the straggler is killed, and the output holds each partition
     * exactly once. Each executor takes most of a NodeManager's memory, so the two run on different hosts.
     */
    @Test
    void aStragglersCopyOnTheOtherHostWinsAndTheOutputIsExact(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path input = new Path("/testkit/straggler/words.txt");
        Path output = new Path("/testkit/straggler/out");
        Path gate = new Path("/testkit/straggler/gate");
        Demo.writeText(fs, input, 20_000, 23);
        fs.mkdirs(gate);

        JobOutcome outcome = cluster.submit(
                        dev.weft.it.TestJobs.StragglerWordCount.class,
                        "-D",
                        "weft.speculation=true",
                        "-D",
                        "weft.executor.instances=2",
                        "-D",
                        "weft.executor.memory=1800m",
                        gate.toString(),
                        input.toString(),
                        output.toString())
                .await(Duration.ofMinutes(4));
        fs.create(new Path(gate, "release"), true).close(); // nothing waits on it any more; a failed run ends here

        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(fs, output, Reference.wordCountLines(fs, input));
        WeftAssertions.assertCommitted(fs, output);
        JobEvents events = outcome.events();
        java.util.List<WeftEvent.TaskStateChanged> tasks = events.of(WeftEvent.TaskStateChanged.class);
        int resultStage = tasks.stream()
                .mapToInt(WeftEvent.TaskStateChanged::stageId)
                .max()
                .orElseThrow();
        java.util.List<WeftEvent.TaskStateChanged> partition0 = tasks.stream()
                .filter(t -> t.stageId() == resultStage && t.partition() == 0)
                .toList();
        WeftEvent.TaskStateChanged copy = partition0.stream()
                .filter(t -> "launched as a speculative copy".equals(t.reason()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no speculative copy of partition 0:\n" + events));
        assertEquals(1, copy.attempt());
        assertTrue(
                partition0.stream().anyMatch(t -> t.taskId() == copy.taskId() && t.to() == TaskState.SUCCEEDED),
                "the copy succeeded: " + partition0);
        // The straggler never ends by itself (nothing released it while the job ran); the driver kills it when the
        // copy wins, and may exit before its report arrives. If it did report, it reported a kill.
        assertTrue(
                partition0.stream()
                        .filter(t -> t.attempt() == 0 && t.to() != null && t.to().isTerminal())
                        .allMatch(t -> t.to() == TaskState.KILLED),
                "the straggler ended only by its kill: " + partition0);
        Map<String, String> hostOf = new HashMap<>();
        events.of(WeftEvent.ExecutorStateChanged.class).forEach(x -> hostOf.put(x.executorId(), x.host()));
        String stragglerExecutor = partition0.stream()
                .filter(t -> t.attempt() == 0)
                .findFirst()
                .orElseThrow()
                .executorId();
        assertFalse(
                hostOf.get(stragglerExecutor).equals(hostOf.get(copy.executorId())),
                "the copy ran on another host than the straggler");
    }

    /** The first NodeManager with a running container of {@code app}. */
    private static int nodeRunning(WeftTestCluster cluster, ApplicationId app) {
        for (int i = 0; i < cluster.embedded().nodeManagerCount(); i++) {
            if (!containersOf(cluster.embedded().nodeManager(i), app).isEmpty()) {
                return i;
            }
        }
        throw new AssertionError("no NodeManager runs a container of " + app);
    }

    private static Set<ContainerId> containersOf(NodeManager nm, ApplicationId app) {
        Set<ContainerId> ids = new TreeSet<>();
        nm.getNMContext().getContainers().forEach((id, c) -> {
            if (id.getApplicationAttemptId().getApplicationId().equals(app)) {
                ids.add(id);
            }
        });
        return ids;
    }
}
