package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.junit.jupiter.api.Test;

class ExecutorRegistryTest {
    private final TestingExecutorApplication app = new TestingExecutorApplication();
    private final TestingTicker ticker = new TestingTicker();
    private final ExecutorRegistry registry = new ExecutorRegistry(2, ticker);

    private static ContainerStatus ended(Container c, int exit) {
        return ContainerStatus.newInstance(c.getId(), ContainerState.COMPLETE, "", exit);
    }

    @Test
    void namesExecutorsInOrderAndRemembersTheirNodes() {
        Container c1 = app.container("h1");
        Container c2 = app.container("h2");
        assertEquals("exec-1", registry.add(c1.getId(), c1.getNodeId()));
        assertEquals("exec-2", registry.add(c2.getId(), c2.getNodeId()));
        assertEquals("h2", registry.nodeHost("exec-2"));
        assertEquals(2, registry.liveCount());
        assertEquals(
                List.of("exec-1", "exec-2"),
                registry.liveExecutors().stream().sorted().toList());
    }

    @Test
    void aCompletedContainerLosesItsExecutorWithTheClassifiedReason() {
        Container c = app.container("h1");
        String exec = registry.add(c.getId(), c.getNodeId());
        ExecutorRegistry.Lost lost = registry.completed(ended(c, ContainerExitStatus.PREEMPTED));
        assertEquals(exec, lost.executorId());
        assertEquals(WeftError.EXECUTOR_PREEMPTED, lost.error());
        assertEquals(ExitStatuses.describe(ended(c, ContainerExitStatus.PREEMPTED)), lost.reason());
        assertTrue(lost.reason().contains("preempted"), lost.reason());
        assertEquals(0, registry.liveCount());
        assertNull(registry.nodeHost(exec));
        assertNull(registry.completed(ended(c, 1)), "a second completion is not a second loss");
        assertNull(registry.completed(ended(app.container("h2"), 1)), "a released container ran no executor");
    }

    @Test
    void mapOutputSurvivesAnExecutorOnlyWhenTheNodesShuffleServiceServesIt() {
        Container c1 = app.container("h1");
        Container c2 = app.container("h2");
        String served = registry.add(c1.getId(), c1.getNodeId());
        String own = registry.add(c2.getId(), c2.getNodeId());
        registry.shuffleServiceStarted(served, 7337);
        registry.completed(ended(c1, 1));
        registry.completed(ended(c2, 1));
        assertFalse(registry.outputLostWith(served));
        assertEquals(7337, registry.shuffleServicePort(served));
        assertTrue(registry.outputLostWith(own));
        assertNull(registry.shuffleServicePort(own));
    }

    private ExecutorRegistry.Lost lost(WeftError error) {
        return new ExecutorRegistry.Lost("exec-9", app.container("h9").getId(), error, "test");
    }

    @Test
    void replacesLostExecutorsUntilTheFailuresExceedThreeTimesTheInstances() {
        int limit = 2 * ExecutorRegistry.MAX_EXECUTOR_FAILURES_FACTOR;
        for (int i = 1; i <= limit; i++) {
            assertTrue(registry.replaceAfterLoss(lost(WeftError.EXECUTOR_LOST)), "failure " + i);
        }
        assertFalse(registry.replaceAfterLoss(lost(WeftError.CONTAINER_KILLED_FOR_MEMORY)), "failure " + (limit + 1));
        assertFalse(registry.replaceAfterLoss(lost(WeftError.EXECUTOR_LOST)));
        assertFalse(registry.mayRequest());
        assertEquals(limit + 2, registry.failures());
    }

    @Test
    void preemptionNeverSpendsTheFailureBudget() {
        int limit = 2 * ExecutorRegistry.MAX_EXECUTOR_FAILURES_FACTOR;
        for (int i = 1; i <= 3 * limit; i++) {
            assertTrue(registry.replaceAfterLoss(lost(WeftError.EXECUTOR_PREEMPTED)), "preemption " + i);
        }
        assertEquals(0, registry.failures());
        assertTrue(registry.mayRequest());
    }

    @Test
    void aContainerMarkedForPreemptionEndsAsPreemptedWhateverItsExitStatus() {
        Container marked = app.container("h1");
        Container other = app.container("h2");
        String exec = registry.add(marked.getId(), marked.getNodeId());
        registry.add(other.getId(), other.getNodeId());
        assertEquals(
                Set.of(exec),
                registry.preemptionRequested(
                        List.of(marked.getId(), app.container("h3").getId())));
        assertTrue(registry.preemptionRequested(exec));
        // The NodeManager's kill can arrive as a plain exit code; the RM's mark is what says why.
        assertEquals(
                WeftError.EXECUTOR_PREEMPTED,
                registry.completed(ended(marked, 143)).error());
        assertEquals(
                WeftError.EXECUTOR_LOST, registry.completed(ended(other, 143)).error());
    }

    @Test
    void aGivenBackExecutorIsGoneAndItsLaterCompletionIsNoNews() {
        Container c = app.container("h1");
        String exec = registry.add(c.getId(), c.getNodeId());
        assertEquals(c.getId(), registry.containerOf(exec));
        assertEquals("h1:8041", registry.node(exec));
        ExecutorRegistry.Lost lost = registry.giveBack(exec, WeftError.EXECUTOR_PREEMPTED, "given back");
        assertEquals(WeftError.EXECUTOR_PREEMPTED, lost.error());
        assertTrue(registry.wasGivenBack(exec));
        assertEquals(0, registry.liveCount());
        assertTrue(registry.loads().isEmpty());
        assertNull(registry.giveBack(exec, WeftError.EXECUTOR_PREEMPTED, "twice"), "given back once");
        assertNull(registry.completed(ended(c, ContainerExitStatus.ABORTED)), "the release is not a second loss");
    }

    @Test
    void loadsSayWhichExecutorsAreIdleSinceWhenAndWhenTheirLatestTaskStarted() {
        Container c1 = app.container("h1");
        Container c2 = app.container("h2");
        long added = ticker.nanoTime();
        String e1 = registry.add(c1.getId(), c1.getNodeId());
        String e2 = registry.add(c2.getId(), c2.getNodeId());
        ticker.advance(1, TimeUnit.SECONDS);
        registry.taskLaunched(1, e1);
        ticker.advance(1, TimeUnit.SECONDS);
        registry.taskLaunched(2, e1);
        long secondStart = ticker.nanoTime();
        ticker.advance(1, TimeUnit.SECONDS);
        registry.taskEnded(1);
        Map<String, PreemptionPlanner.Load> byId = loadsById();
        assertEquals(new PreemptionPlanner.Load(e1, c1.getId(), "h1:8041", 1, secondStart, null), byId.get(e1));
        assertEquals(new PreemptionPlanner.Load(e2, c2.getId(), "h2:8041", 0, added, added), byId.get(e2));
        ticker.advance(1, TimeUnit.SECONDS);
        registry.taskEnded(2);
        assertEquals(ticker.nanoTime(), loadsById().get(e1).idleSince());
        registry.taskEnded(2);
        assertEquals(0, loadsById().get(e1).runningTasks(), "a duplicate end does not go below zero");
    }

    private Map<String, PreemptionPlanner.Load> loadsById() {
        return registry.loads().stream()
                .collect(Collectors.toMap(PreemptionPlanner.Load::executorId, Function.identity()));
    }

    @Test
    void tracksWhichExecutorRunsATask() {
        registry.taskLaunched(42, "exec-3");
        assertEquals("exec-3", registry.executorOfTask(42));
        registry.taskEnded(42);
        assertNull(registry.executorOfTask(42));
    }
}
