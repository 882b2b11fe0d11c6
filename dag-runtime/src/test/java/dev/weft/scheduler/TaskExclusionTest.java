package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import dev.weft.events.ExclusionScope;
import dev.weft.events.WeftEvent;
import dev.weft.metrics.TaskMetrics;
import dev.weft.task.TaskOutcome;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Executor and node exclusion after task failures: what counts, the window, where retries go, what the backend is
 * told, expiry, and the rule that the whole cluster is never excluded.
 */
class TaskExclusionTest {
    private static final long WINDOW_MS = 60_000;
    private static final long TIMEOUT_MS = 300_000;

    private static SchedulerHarness harness(int executorFailures, int nodeFailures, boolean replaces) {
        return new SchedulerHarness(
                8,
                new ExclusionPolicy(true, executorFailures, nodeFailures, WINDOW_MS, TIMEOUT_MS),
                SpeculationPolicy.DISABLED,
                replaces);
    }

    @Test
    void aRetryAvoidsTheExecutorItFailedOnAndTwoFailuresExcludeIt() {
        SchedulerHarness h = harness(2, 99, true);
        h.scheduler.executorAdded("e1", "h1", 1);
        h.scheduler.executorAdded("e2", "h2", 1);
        h.submitJob(3);
        assertEquals("e1", h.lastLaunchOf(0).executorId());
        assertEquals("e2", h.lastLaunchOf(1).executorId());

        h.fail(h.lastLaunchOf(0));
        // e1's core is free again, but partition 0 waits for an executor it has not failed on.
        assertEquals("e1", h.lastLaunchOf(2).executorId(), "e1 took the next task, not partition 0's retry");
        assertEquals(1, h.launchesOf(0).size());
        h.succeed(h.lastLaunchOf(1));
        assertEquals("e2", h.lastLaunchOf(0).executorId(), "the retry ran where it had not failed");

        h.fail(h.lastLaunchOf(2));
        List<WeftEvent.ExclusionChanged> exclusions = h.eventsOf(WeftEvent.ExclusionChanged.class);
        assertEquals(1, exclusions.size(), exclusions.toString());
        WeftEvent.ExclusionChanged x = exclusions.get(0);
        assertEquals(ExclusionScope.EXECUTOR, x.scope());
        assertEquals("e1", x.target());
        assertTrue(x.excluded());
        assertTrue(x.reason().contains("2 task failures") && x.reason().contains("No space left"), x.reason());
        assertEquals(List.of("e1"), h.backend.excludedExecutors);
        assertTrue(h.backend.nodeExclusions.isEmpty(), "the node is not excluded: " + h.backend.nodeExclusions);

        int before = h.backend.launched.size();
        h.succeed(h.lastLaunchOf(0)); // frees e2, which takes partition 2's retry
        assertEquals("e2", h.lastLaunchOf(2).executorId());
        assertTrue(
                h.backend.launched.subList(before, h.backend.launched.size()).stream()
                        .noneMatch(l -> l.executorId().equals("e1")),
                "nothing goes to excluded e1");
    }

    @Test
    void failuresOnTwoExecutorsOfANodeExcludeTheNodeAndEveryExecutorOnIt() {
        SchedulerHarness h = harness(99, 2, true);
        h.scheduler.executorAdded("e1", "h1", 1);
        h.scheduler.executorAdded("e2", "h1", 1);
        h.scheduler.executorAdded("e3", "h2", 1);
        h.submitJob(6);
        h.fail(h.lastLaunchOf(0)); // on e1
        h.fail(h.lastLaunchOf(1)); // on e2

        WeftEvent.ExclusionChanged x =
                h.eventsOf(WeftEvent.ExclusionChanged.class).get(0);
        assertEquals(ExclusionScope.NODE, x.scope());
        assertEquals("h1", x.target());
        assertEquals(List.of("+h1"), h.backend.nodeExclusions);
        assertEquals(Set.of("e1", "e2"), Set.copyOf(h.backend.excludedExecutors));
        int before = h.backend.launched.size();
        h.succeed(h.lastLaunchOf(2)); // e3 frees its core
        List<TestingSchedulerBackend.Launched> after = h.backend.launched.subList(before, h.backend.launched.size());
        assertFalse(after.isEmpty());
        assertTrue(after.stream().allMatch(l -> l.executorId().equals("e3")), after.toString());
    }

    @Test
    void anExclusionExpiresAfterItsTimeoutAndTheExecutorGetsTasksAgain() {
        SchedulerHarness h = harness(1, 1, true);
        h.scheduler.executorAdded("e1", "h1", 1);
        h.scheduler.executorAdded("e2", "h2", 1);
        h.submitJob(4);
        h.fail(h.lastLaunchOf(0));
        assertEquals(List.of("+h1"), h.backend.nodeExclusions);
        assertTrue(
                h.reviveDelays.contains(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)),
                "a round was asked for when the exclusion ends: " + h.reviveDelays);

        h.advanceMillis(TIMEOUT_MS - 1);
        h.scheduler.reviveOffers();
        assertEquals(List.of("+h1"), h.backend.nodeExclusions, "not yet");
        h.advanceMillis(1);
        h.scheduler.reviveOffers(); // the timer's wake-up
        assertEquals(List.of("+h1", "-h1"), h.backend.nodeExclusions);
        List<WeftEvent.ExclusionChanged> changes = h.eventsOf(WeftEvent.ExclusionChanged.class);
        assertEquals(
                List.of("NODE h1 true", "NODE h1 false"), // the node's exclusion covers its executor
                changes.stream()
                        .map(c -> c.scope() + " " + c.target() + " " + c.excluded())
                        .toList());
        assertEquals("e1", h.backend.launched.get(h.backend.launched.size() - 1).executorId(), "e1 runs a task again");
    }

    @Test
    void failuresFurtherApartThanTheWindowDoNotAddUp() {
        SchedulerHarness h = harness(2, 2, true);
        h.scheduler.executorAdded("e1", "h1", 1);
        h.scheduler.executorAdded("e2", "h2", 1);
        h.submitJob(6);
        h.fail(h.lastLaunchOf(0));
        h.advanceMillis(WINDOW_MS + 1);
        h.fail(h.backend.launched.stream()
                .filter(l -> l.executorId().equals("e1"))
                .reduce((a, b) -> b)
                .orElseThrow());
        assertTrue(h.eventsOf(WeftEvent.ExclusionChanged.class).isEmpty(), h.events.toString());
    }

    @Test
    void aPartitionThatFailsEverywhereIsThePartitionsFaultAndExcludesNothing() {
        SchedulerHarness h = harness(2, 2, true);
        h.scheduler.executorAdded("e1", "h1", 1);
        h.scheduler.executorAdded("e2", "h2", 1);
        h.scheduler.executorAdded("e3", "h3", 1);
        h.submitJob(1);
        for (int i = 0; i < 6; i++) { // a poison record: every attempt fails, wherever it runs
            h.fail(h.lastLaunchOf(0));
        }
        assertEquals(
                List.of("e1", "e2", "e3"),
                h.launchesOf(0).stream().limit(3).map(l -> l.executorId()).toList(),
                "each retry went where the partition had not failed yet");
        assertTrue(h.eventsOf(WeftEvent.ExclusionChanged.class).isEmpty(), h.events.toString());
    }

    @Test
    void lostExecutorsKillsAndFetchFailuresDoNotCount() {
        SchedulerHarness h = harness(1, 1, true);
        h.scheduler.executorAdded("e1", "h1", 1);
        h.scheduler.executorAdded("e2", "h2", 1);
        h.submitJob(2);
        for (int i = 0; i < 3; i++) {
            h.scheduler.taskEnded(
                    h.lastLaunchOf(0).task().taskId(),
                    new TaskOutcome.ExecutorLost("e1", "container exited", new TaskMetrics()));
            h.scheduler.taskEnded(
                    h.lastLaunchOf(0).task().taskId(), new TaskOutcome.Killed("killed on request", new TaskMetrics()));
        }
        assertTrue(h.eventsOf(WeftEvent.ExclusionChanged.class).isEmpty(), h.events.toString());
    }

    @Test
    void excludingTheLastNodeFailsTheJobsNamingEveryNodeAndTheLastFailure() throws Exception {
        SchedulerHarness h = harness(1, 1, true);
        h.backend.clusterHosts = Set.of("h1", "h2");
        h.scheduler.executorAdded("e1", "h1", 1);
        h.scheduler.executorAdded("e2", "h2", 1);
        ActiveJob job = h.submitJob(2);
        h.fail(h.lastLaunchOf(0)); // h1 excluded
        assertEquals(List.of("+h1"), h.backend.nodeExclusions);
        h.fail(h.lastLaunchOf(1)); // on e2: h2 would be the last

        assertEquals(List.of("+h1"), h.backend.nodeExclusions, "h2 is not excluded");
        JobFailedException e = SchedulerHarness.failureOf(job);
        assertEquals(WeftError.USER_CODE_FAILED, e.error(), "the last failure's code");
        assertTrue(e.getMessage().contains("every node") && e.getMessage().contains("h1, h2"), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    }

    @Test
    void aBackendThatCannotReplaceExecutorsKeepsItsLastOneAndRetriesRunThere() {
        SchedulerHarness h = harness(1, 1, false);
        h.scheduler.executorAdded("local", "localhost", 1);
        h.submitJob(1);
        h.fail(h.lastLaunchOf(0));
        h.fail(h.lastLaunchOf(0));
        assertEquals(3, h.launchesOf(0).size(), "retries run on the only executor");
        assertTrue(h.eventsOf(WeftEvent.ExclusionChanged.class).isEmpty(), h.events.toString());
        assertNotEquals(0, h.backend.launched.size());
    }

    @Test
    void afterAnUnreachableShuffleServiceTasksAvoidItsHostWhileAnotherHostHasExecutors() {
        SchedulerHarness h = harness(99, 99, true);
        h.scheduler.executorAdded("e1", "h1", 1);
        h.scheduler.executorAdded("e2", "h2", 1);
        h.scheduler.avoidHost("h1");
        h.submitJob(2);
        assertEquals(
                List.of("e2"),
                h.backend.launched.stream().map(l -> l.executorId()).toList());
        h.succeed(h.lastLaunchOf(0));
        assertEquals("e2", h.lastLaunchOf(1).executorId(), "e1 stayed idle");
        assertTrue(h.backend.nodeExclusions.isEmpty(), "no exclusion: " + h.backend.nodeExclusions);

        h.advanceMillis(WINDOW_MS);
        h.submitJob(2); // the avoidance is over
        assertTrue(h.backend.launched.stream().anyMatch(l -> l.executorId().equals("e1")));
    }

    @Test
    void onOneHostAvoidingItChangesNothing() {
        SchedulerHarness h = harness(99, 99, true);
        h.scheduler.executorAdded("e1", "localhost", 1);
        h.scheduler.executorAdded("e2", "localhost", 1);
        h.scheduler.avoidHost("localhost");
        h.submitJob(2);
        assertEquals(2, h.backend.launched.size());
    }

    @Test
    void onAClusterOfOneHostTheNodeIsNeverExcludedNorTheJobFailedEarly() {
        SchedulerHarness h = harness(1, 1, true);
        h.scheduler.executorAdded("e1", "localhost", 1);
        h.scheduler.executorAdded("e2", "localhost", 1);
        ActiveJob job = h.submitJob(2);
        h.fail(h.lastLaunchOf(0));
        h.fail(h.lastLaunchOf(1));
        assertTrue(h.backend.nodeExclusions.isEmpty(), h.backend.nodeExclusions.toString());
        assertFalse(job.done.isDone(), "the attempt limit decides, not the exclusion");
    }
}
