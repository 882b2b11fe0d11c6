package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.metrics.TaskMetrics;
import dev.weft.plan.MapPartitionsNode;
import dev.weft.plan.ParallelCollectionNode;
import dev.weft.plan.StorageLevel;
import dev.weft.storage.BlockManager.BlockId;
import dev.weft.task.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delay scheduling and locality levels of the {@link TaskScheduler}, driven by hand: a fake backend records
 * launches, a fake clock stands in for time and a fake timer records the wake-ups the scheduler asks for.
 */
class TaskSchedulerLocalityTest {
    private static final long WAIT_MS = 3_000;
    private static final HostTopology NO_RACKS = host -> null;

    private final TestingSchedulerBackend backend = new TestingSchedulerBackend();
    private final List<WeftEvent.TaskStateChanged> launches = new ArrayList<>();
    private final List<Long> reviveDelaysNanos = new ArrayList<>();
    private final PendingTaskLocality pending = new PendingTaskLocality();
    private long nowNanos = 1_000_000_000L;
    private TaskScheduler scheduler;

    @BeforeEach
    void setUp() {
        scheduler = newScheduler(NO_RACKS);
    }

    private TaskScheduler newScheduler(HostTopology topology) {
        EventPublisher events = new EventPublisher();
        events.add(e -> {
            if (e instanceof WeftEvent.TaskStateChanged t && t.to() == TaskState.RUNNING) {
                launches.add(t);
            }
        });
        TaskScheduler ts = new TaskScheduler(
                backend,
                4,
                events,
                new LocalityWaits(WAIT_MS, WAIT_MS, WAIT_MS),
                topology,
                () -> nowNanos,
                reviveDelaysNanos::add,
                pending,
                ExclusionPolicy.DISABLED,
                SpeculationPolicy.DISABLED);
        DagScheduler dag =
                new DagScheduler(ts, new MapOutputTracker(), events, Map.of(), 4, backend, () -> {}, dep -> {});
        ts.setDagScheduler(dag);
        return ts;
    }

    private void advanceMillis(long ms) {
        nowNanos += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private static TaskSet.TaskSpec onHosts(int partition, String... hosts) {
        return new TaskSet.TaskSpec(partition, new byte[] {1}, TaskSet.Preferences.onHosts(List.of(hosts)));
    }

    private static TaskSet taskSet(int stageId, TaskSet.TaskSpec... specs) {
        return new TaskSet(stageId, 0, 0, "stage " + stageId, List.of(specs));
    }

    /** partition -> "executor@LOCALITY" of the launches so far, in launch order. */
    private List<String> launched() {
        List<String> out = new ArrayList<>();
        for (WeftEvent.TaskStateChanged t : launches) {
            out.add("p" + t.partition() + " " + t.executorId() + " " + t.locality());
        }
        return out;
    }

    private long taskIdOf(int partition, int attempt) {
        return launches.stream()
                .filter(t -> t.partition() == partition && t.attempt() == attempt)
                .findFirst()
                .orElseThrow()
                .taskId();
    }

    private static TaskOutcome.Success success(BlockId... cached) {
        return new TaskOutcome.Success(new byte[] {0}, Map.of(), new TaskMetrics(), List.of(cached));
    }

    @Test
    void nodeLocalTasksGoToTheirHosts() {
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 1);
        scheduler.executorAdded("e3", "h3", 1);
        scheduler.submit(taskSet(0, onHosts(0, "h2"), onHosts(1, "h3"), onHosts(2, "h1")));
        assertEquals(List.of("p2 e1 NODE_LOCAL", "p0 e2 NODE_LOCAL", "p1 e3 NODE_LOCAL"), launched());
        assertEquals(3, backend.launched.size());
        assertEquals("e1", backend.launched.get(0).executorId());
        assertEquals(2, backend.launched.get(0).task().partition());
    }

    @Test
    void aTaskWhoseHostIsBusyWaitsTheLocalityWaitThenRunsAnywhere() {
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 1);
        scheduler.submit(taskSet(0, onHosts(0, "h1"), onHosts(1, "h1")));
        assertEquals(List.of("p0 e1 NODE_LOCAL"), launched());
        // e2 is idle and nothing else would wake the scheduler: it asks to be woken when the wait expires.
        assertEquals(List.of(TimeUnit.MILLISECONDS.toNanos(WAIT_MS)), reviveDelaysNanos);

        advanceMillis(WAIT_MS - 1);
        scheduler.reviveOffers();
        assertEquals(1, launches.size(), "launched before the locality wait expired: " + launched());

        advanceMillis(1);
        scheduler.reviveOffers();
        assertEquals(List.of("p0 e1 NODE_LOCAL", "p1 e2 ANY"), launched());
    }

    @Test
    void theDefaultSingleRackMakesEveryHostRackLocalAfterTheNodeWait() {
        scheduler = newScheduler(HostTopology.FLAT);
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 1);
        scheduler.submit(taskSet(0, onHosts(0, "h1"), onHosts(1, "h1")));
        advanceMillis(WAIT_MS);
        scheduler.reviveOffers();
        assertEquals(List.of("p0 e1 NODE_LOCAL", "p1 e2 RACK_LOCAL"), launched());
    }

    @Test
    void afterTheNodeWaitATaskGoesToItsRackBeforeAnyOtherHost() {
        scheduler = newScheduler(host -> host.equals("h3") ? "/r2" : "/r1");
        scheduler.executorAdded("e3", "h3", 1); // offered first, but on the wrong rack
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 1);
        scheduler.submit(taskSet(0, onHosts(0, "h1"), onHosts(1, "h1"), onHosts(2, "h1")));
        assertEquals(List.of("p0 e1 NODE_LOCAL"), launched());

        advanceMillis(WAIT_MS);
        scheduler.reviveOffers();
        assertEquals(List.of("p0 e1 NODE_LOCAL", "p1 e2 RACK_LOCAL"), launched());
        // The rack-local launch restarted the wait at RACK_LOCAL: e3 gets p2 only once that wait expires too.
        assertEquals(
                List.of(TimeUnit.MILLISECONDS.toNanos(WAIT_MS), TimeUnit.MILLISECONDS.toNanos(WAIT_MS)),
                reviveDelaysNanos);
        advanceMillis(WAIT_MS);
        scheduler.reviveOffers();
        assertEquals(List.of("p0 e1 NODE_LOCAL", "p1 e2 RACK_LOCAL", "p2 e3 ANY"), launched());
    }

    @Test
    void tasksWithoutPreferencesRunImmediatelyBesideWaitingOnes() {
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 2);
        scheduler.submit(taskSet(
                0,
                onHosts(0, "h1"),
                onHosts(1, "h1"),
                new TaskSet.TaskSpec(2, new byte[] {1}),
                new TaskSet.TaskSpec(3, new byte[] {1})));
        assertEquals(List.of("p0 e1 NODE_LOCAL", "p2 e2 NO_PREF", "p3 e2 NO_PREF"), launched());
    }

    @Test
    void aTaskSetWithoutPreferencesNeverWaits() {
        scheduler.executorAdded("e1", "h1", 2);
        scheduler.submit(taskSet(
                0,
                new TaskSet.TaskSpec(0, new byte[] {1}),
                new TaskSet.TaskSpec(1, new byte[] {1}),
                new TaskSet.TaskSpec(2, new byte[] {1})));
        assertEquals(List.of("p0 e1 NO_PREF", "p1 e1 NO_PREF"), launched());
        assertEquals(List.of(), reviveDelaysNanos, "no idle core, no wait: no timer");
        scheduler.taskEnded(taskIdOf(0, 0), success());
        assertEquals(List.of("p0 e1 NO_PREF", "p1 e1 NO_PREF", "p2 e1 NO_PREF"), launched());
    }

    @Test
    void aCachedPartitionRunsOnTheExecutorHoldingIt() {
        // Two executors on one host: only the one holding the block is PROCESS_LOCAL.
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h1", 1);
        TaskSet.Preferences cached = new TaskSet.Preferences(List.of("e2"), List.of("h1"));
        scheduler.submit(taskSet(0, new TaskSet.TaskSpec(0, new byte[] {1}, cached)));
        assertEquals(List.of("p0 e2 PROCESS_LOCAL"), launched());
    }

    @Test
    void cachedBlocksReportedBySuccessfulTasksBecomePreferences() {
        ParallelCollectionNode<Integer> source =
                new ParallelCollectionNode<>(1, "parallelize", null, List.of(1, 2, 3, 4), 2);
        MapPartitionsNode<Integer, Integer> cached =
                new MapPartitionsNode<>(2, "cache", null, source, (i, it) -> it, true);
        cached.setStorageLevel(StorageLevel.MEMORY_ONLY);
        MapPartitionsNode<Integer, Integer> child =
                new MapPartitionsNode<>(3, "map", null, cached, (i, it) -> it, true);
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 1);
        assertEquals(TaskSet.Preferences.NONE, scheduler.preferredLocations(child, 1));

        scheduler.submit(taskSet(0, new TaskSet.TaskSpec(0, new byte[] {1}), new TaskSet.TaskSpec(1, new byte[] {1})));
        scheduler.taskEnded(taskIdOf(1, 0), success(new BlockId(2, 1)));
        assertEquals(new TaskSet.Preferences(List.of("e2"), List.of("h2")), scheduler.preferredLocations(child, 1));
        assertEquals(TaskSet.Preferences.NONE, scheduler.preferredLocations(child, 0));

        scheduler.datasetUnpersisted(2);
        assertEquals(TaskSet.Preferences.NONE, scheduler.preferredLocations(child, 1));
        scheduler.taskEnded(taskIdOf(0, 0), success(new BlockId(2, 0)));
        assertEquals(new TaskSet.Preferences(List.of("e1"), List.of("h1")), scheduler.preferredLocations(child, 0));
        scheduler.executorLost("e1", "test");
        assertEquals(TaskSet.Preferences.NONE, scheduler.preferredLocations(child, 0));
    }

    @Test
    void aRetryKeepsItsPreferences() {
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 1);
        scheduler.submit(taskSet(0, onHosts(0, "h2")));
        assertEquals(List.of("p0 e2 NODE_LOCAL"), launched());
        // A kill is not the executor's fault: the retry may go back there.
        scheduler.taskEnded(taskIdOf(0, 0), new TaskOutcome.Killed("killed on request", new TaskMetrics()));
        // e1 is offered first and is idle, yet the retry goes back to h2.
        assertEquals(List.of("p0 e2 NODE_LOCAL", "p0 e2 NODE_LOCAL"), launched());
        assertEquals(1, launches.get(1).attempt());
    }

    @Test
    void aRetryAfterAFailureAvoidsThatExecutorAndRunsElsewhereOnceTheLocalityWaitIsOver() {
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 1);
        scheduler.submit(taskSet(0, onHosts(0, "h2")));
        scheduler.taskEnded(
                taskIdOf(0, 0),
                new TaskOutcome.ExceptionFailure(
                        WeftError.USER_CODE_FAILED,
                        "java.lang.IllegalStateException",
                        "boom",
                        "",
                        null,
                        new TaskMetrics()));
        assertEquals(List.of("p0 e2 NODE_LOCAL"), launched(), "not back to e2, and not yet to e1");
        nowNanos += java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        scheduler.reviveOffers();
        assertEquals(List.of("p0 e2 NODE_LOCAL", "p0 e1 ANY"), launched());
    }

    @Test
    void whenItsHostLosesItsLastExecutorATaskRunsElsewhereWithoutWaiting() {
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 1);
        scheduler.submit(taskSet(0, onHosts(0, "h2")));
        scheduler.executorLost("e2", "container killed");
        assertEquals(List.of("p0 e2 NODE_LOCAL", "p0 e1 ANY"), launched());
    }

    @Test
    void aLaunchAtABetterLevelRestartsTheWait() {
        scheduler.executorAdded("e1", "h1", 1);
        scheduler.executorAdded("e2", "h2", 1);
        scheduler.submit(taskSet(0, onHosts(0, "h1"), onHosts(1, "h1"), onHosts(2, "h1"), onHosts(3, "h1")));
        advanceMillis(WAIT_MS);
        scheduler.reviveOffers();
        assertEquals(List.of("p0 e1 NODE_LOCAL", "p1 e2 ANY"), launched());
        // e1 frees up and takes a node-local task: the task set is back at NODE_LOCAL ...
        scheduler.taskEnded(taskIdOf(0, 0), success());
        assertEquals("p2 e1 NODE_LOCAL", launched().get(2));
        // ... so e2, free again, waits a full wait again.
        scheduler.taskEnded(taskIdOf(1, 0), success());
        assertEquals(3, launches.size(), launched().toString());
        advanceMillis(WAIT_MS);
        scheduler.reviveOffers();
        assertEquals("p3 e2 ANY", launched().get(3));
    }

    @Test
    void theFirstExecutorOnAPreferredHostRestoresNodeLocality() {
        scheduler.submit(taskSet(0, onHosts(0, "h2"), onHosts(1, "h2"), onHosts(2, "h2")));
        scheduler.executorAdded("e1", "h1", 1);
        // No executor on h2: no reason to wait.
        assertEquals(List.of("p0 e1 ANY"), launched());
        scheduler.executorAdded("e2", "h2", 1);
        assertEquals(List.of("p0 e1 ANY", "p1 e2 NODE_LOCAL"), launched());
        // Now that h2 has an executor, p2 waits for it instead of going to e1 at once.
        scheduler.taskEnded(taskIdOf(0, 0), success());
        assertEquals(2, launches.size(), launched().toString());
        scheduler.taskEnded(taskIdOf(1, 0), success());
        assertEquals("p2 e2 NODE_LOCAL", launched().get(2));
    }

    @Test
    void pendingTasksByHostIsPublishedAfterEveryRound() {
        scheduler.submit(taskSet(0, onHosts(0, "h1", "h2"), onHosts(1, "h1"), new TaskSet.TaskSpec(2, new byte[] {1})));
        PendingTaskLocality.Snapshot s = pending.snapshot();
        assertEquals(Map.of("h1", 2, "h2", 1), s.tasksByHost());
        assertEquals(3, s.pendingTasks());
        assertEquals(2, s.localityAwareTasks());

        scheduler.executorAdded("e1", "h1", 1);
        assertEquals(Map.of("h1", 1), pending.pendingTasksByHost(), "p0 ran on h1; p1 still waits");
        assertEquals(2, pending.snapshot().pendingTasks());
        scheduler.cancelStage(0, "test");
        assertEquals(PendingTaskLocality.Snapshot.EMPTY, pending.snapshot());
    }

    @Test
    void perHostCountsOfManyHostsLagByFewerRoundsThanTheirRefreshPeriodWhileTaskCountsStayExact() {
        // 96 hosts, one task each: per-host counts are gathered every 1 + 96 / 32 = 4 rounds.
        TaskSet.TaskSpec[] specs = new TaskSet.TaskSpec[96];
        for (int p = 0; p < specs.length; p++) {
            specs[p] = onHosts(p, "h" + p);
        }
        scheduler.submit(taskSet(0, specs));
        assertEquals(96, pending.snapshot().tasksByHost().size(), "exact when a stage comes");
        boolean sawLag = false;
        for (int i = 0; i < 12; i++) {
            scheduler.executorAdded("e" + i, "h" + i, 1); // one round, which launches p<i> on its own host
            PendingTaskLocality.Snapshot s = pending.snapshot();
            assertEquals(96 - (i + 1), s.pendingTasks(), "task counts are exact after every round");
            int lag = s.tasksByHost().size() - s.pendingTasks();
            assertTrue(lag >= 0 && lag < 4, "per-host counts lag by fewer rounds than the period: " + lag);
            sawLag |= lag > 0;
            assertTrue(
                    s.tasksByHost().values().stream().allMatch(n -> n == 1),
                    s.tasksByHost().toString());
        }
        assertTrue(sawLag, "the refresh is periodic, not every round");
        scheduler.cancelStage(0, "test");
        assertEquals(PendingTaskLocality.Snapshot.EMPTY, pending.snapshot(), "exact when the stage goes");
    }

    @Test
    void pendingCountsFollowLaunchesRequeuesAndCountAHostListedTwiceOnce() {
        scheduler.submit(taskSet(0, onHosts(0, "h1", "h1", "h2"), onHosts(1, "h2")));
        assertEquals(Map.of("h1", 1, "h2", 2), pending.pendingTasksByHost());
        assertEquals(2, pending.snapshot().localityAwareTasks());

        scheduler.executorAdded("e1", "h1", 1);
        assertEquals(List.of("p0 e1 NODE_LOCAL"), launched());
        assertEquals(Map.of("h2", 1), pending.pendingTasksByHost());
        assertEquals(1, pending.snapshot().localityAwareTasks());

        scheduler.executorLost("e1", "test");
        assertEquals(Map.of("h1", 1, "h2", 2), pending.pendingTasksByHost(), "p0 waits again");
        assertEquals(2, pending.snapshot().pendingTasks());
        assertEquals(2, pending.snapshot().localityAwareTasks());
    }

    @Test
    void onlyLaunchEventsCarryALocality() {
        scheduler.executorAdded("e1", "h1", 1);
        List<WeftEvent.TaskStateChanged> all = new ArrayList<>();
        EventPublisher events = new EventPublisher();
        events.add(e -> all.add((WeftEvent.TaskStateChanged) e));
        TaskScheduler ts = new TaskScheduler(
                backend,
                4,
                events,
                LocalityWaits.NONE,
                NO_RACKS,
                () -> nowNanos,
                reviveDelaysNanos::add,
                pending,
                ExclusionPolicy.DISABLED,
                SpeculationPolicy.DISABLED);
        ts.setDagScheduler(
                new DagScheduler(ts, new MapOutputTracker(), events, Map.of(), 4, backend, () -> {}, dep -> {}));
        ts.executorAdded("e1", "h1", 1);
        ts.submit(taskSet(0, onHosts(0, "h1")));
        ts.taskEnded(all.get(0).taskId(), success());
        assertEquals(2, all.size());
        assertEquals(TaskLocality.NODE_LOCAL, all.get(0).locality());
        assertNull(all.get(1).locality());
        assertTrue(all.get(1).to().isTerminal());
    }
}
