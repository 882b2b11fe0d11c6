package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.metrics.TaskMetrics;
import dev.weft.task.TaskOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Speculative copies: when a slow task gets one, where it runs, who wins, and that a copy never makes an attempt
 * run twice at once beyond the one copy. The clock is the harness's; each check is one speculation tick.
 */
class SpeculationTest {
    /** Copy a task running longer than 1.5 x the median once 3 of 4 succeeded; no minimum. */
    private static final SpeculationPolicy ON = new SpeculationPolicy(true, 1.5, 0.75, 0, 100);

    /** Four tasks start on e1 (h1) at 0; partitions 1 to 3 succeed after 10 s; e2 on h2 joins with a free core. */
    private static SchedulerHarness threeOfFourDone(SpeculationPolicy policy) {
        SchedulerHarness h = new SchedulerHarness(4, ExclusionPolicy.DISABLED, policy, true);
        h.scheduler.executorAdded("e1", "h1", 4);
        h.submitJob(4);
        h.advanceMillis(10_000);
        for (int p = 1; p < 4; p++) {
            h.succeed(h.lastLaunchOf(p));
        }
        h.scheduler.executorAdded("e2", "h2", 1);
        return h;
    }

    @Test
    void aTaskSlowerThanTheMultipleOfTheMedianGetsACopyOnAnotherHostAndTheFirstToFinishWins() {
        SchedulerHarness h = threeOfFourDone(ON);
        h.advanceMillis(4_000); // 14 s: not yet 1.5 x 10 s
        h.scheduler.checkSpeculation();
        assertEquals(1, h.launchesOf(0).size(), "no copy before 15 s");

        h.advanceMillis(2_000); // 16 s
        h.scheduler.checkSpeculation();
        List<TestingSchedulerBackend.Launched> p0 = h.launchesOf(0);
        assertEquals(2, p0.size(), "one copy");
        assertEquals("e2", p0.get(1).executorId(), "on the other host, though e1 has free cores");
        assertEquals(1, p0.get(1).task().attempt());
        assertTrue(
                h.eventsOf(WeftEvent.TaskStateChanged.class).stream()
                        .anyMatch(t -> t.taskId() == p0.get(1).task().taskId()
                                && TaskScheduler.SPECULATIVE_LAUNCH.equals(t.reason())),
                "the launch says it is a copy");

        h.succeed(p0.get(1));
        assertEquals(List.of(p0.get(0).task().taskId()), h.backend.killed, "the original is killed");
        h.scheduler.taskEnded(
                p0.get(0).task().taskId(), new TaskOutcome.Killed("another attempt succeeded", new TaskMetrics()));
        h.advanceMillis(60_000);
        h.scheduler.checkSpeculation();
        assertEquals(2, h.launchesOf(0).size(), "nothing runs again after the win");
        assertEquals(0, h.scheduler.runningTasks());
        assertEquals(
                1L,
                h.eventsOf(WeftEvent.JobStateChanged.class).stream()
                        .filter(j -> j.to() == dev.weft.events.JobState.SUCCEEDED)
                        .count());
    }

    @Test
    void whenTheOriginalFinishesFirstTheCopyIsKilled() {
        SchedulerHarness h = threeOfFourDone(ON);
        h.advanceMillis(6_000);
        h.scheduler.checkSpeculation();
        List<TestingSchedulerBackend.Launched> p0 = h.launchesOf(0);
        assertEquals(2, p0.size());
        h.succeed(p0.get(0));
        assertEquals(List.of(p0.get(1).task().taskId()), h.backend.killed);
    }

    @Test
    void aCopyNeverRunsOnAHostWhereAnAttemptOfItRuns() {
        SchedulerHarness h = new SchedulerHarness(4, ExclusionPolicy.DISABLED, ON, true);
        h.scheduler.executorAdded("e1", "h1", 4);
        h.scheduler.executorAdded("e1b", "h1", 4);
        h.submitJob(4);
        h.advanceMillis(10_000);
        for (int p = 1; p < 4; p++) {
            h.succeed(h.lastLaunchOf(p));
        }
        h.advanceMillis(60_000);
        h.scheduler.checkSpeculation();
        assertEquals(1, h.launchesOf(0).size(), "h1's other executor does not get the copy");
        h.scheduler.executorAdded("e2", "h2", 1);
        assertEquals("e2", h.lastLaunchOf(0).executorId(), "the copy waited for another host");
    }

    @Test
    void anOriginalThatFailsWhileItsCopyRunsIsNotRetriedUntilTheCopyEnds() {
        SchedulerHarness h = threeOfFourDone(ON);
        h.advanceMillis(6_000);
        h.scheduler.checkSpeculation();
        List<TestingSchedulerBackend.Launched> p0 = h.launchesOf(0);
        h.fail(p0.get(0));
        assertEquals(2, h.launchesOf(0).size(), "the running copy may yet succeed");
        h.fail(p0.get(1));
        assertEquals(3, h.launchesOf(0).size(), "with no attempt running, the partition is retried");
        assertFalse(h.eventsOf(WeftEvent.TaskStateChanged.class).stream()
                .anyMatch(t -> t.to() == TaskState.SUCCEEDED && t.partition() == 0));
    }

    @Test
    void withSpeculationOffNothingIsCopied() {
        SchedulerHarness h = threeOfFourDone(SpeculationPolicy.DISABLED);
        h.advanceMillis(600_000);
        h.scheduler.checkSpeculation();
        assertEquals(1, h.launchesOf(0).size());
    }

    @Test
    void beforeTheQuantileSucceededNothingIsCopied() {
        SchedulerHarness h = new SchedulerHarness(4, ExclusionPolicy.DISABLED, ON, true);
        h.scheduler.executorAdded("e1", "h1", 4);
        h.scheduler.executorAdded("e2", "h2", 4);
        h.submitJob(8);
        h.advanceMillis(1_000);
        for (int p = 0; p < 5; p++) { // 5 of 8 < 0.75
            h.succeed(h.lastLaunchOf(p));
        }
        h.advanceMillis(600_000);
        h.scheduler.checkSpeculation();
        for (int p = 5; p < 8; p++) {
            assertEquals(1, h.launchesOf(p).size(), "partition " + p);
        }
    }
}
