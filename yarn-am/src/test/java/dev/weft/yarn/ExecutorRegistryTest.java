package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.junit.jupiter.api.Test;

class ExecutorRegistryTest {
    private final TestingExecutorApplication app = new TestingExecutorApplication();
    private final ExecutorRegistry registry = new ExecutorRegistry(2);

    private static ContainerStatus ended(Container c, int exit) {
        return ContainerStatus.newInstance(c.getId(), ContainerState.COMPLETE, "", exit);
    }

    @Test
    void namesExecutorsInOrderAndRemembersTheirNodes() {
        Container c1 = app.container("h1");
        Container c2 = app.container("h2");
        assertEquals("exec-1", registry.add(c1.getId(), "h1"));
        assertEquals("exec-2", registry.add(c2.getId(), "h2"));
        assertEquals("h2", registry.nodeHost("exec-2"));
        assertEquals(2, registry.liveCount());
        assertEquals(
                List.of("exec-1", "exec-2"),
                registry.liveExecutors().stream().sorted().toList());
    }

    @Test
    void aCompletedContainerLosesItsExecutorWithTheClassifiedReason() {
        Container c = app.container("h1");
        String exec = registry.add(c.getId(), "h1");
        ExecutorRegistry.Lost lost = registry.completed(ended(c, ContainerExitStatus.PREEMPTED));
        assertEquals(exec, lost.executorId());
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
        String served = registry.add(c1.getId(), "h1");
        String own = registry.add(c2.getId(), "h2");
        registry.shuffleServiceStarted(served, 7337);
        registry.completed(ended(c1, 1));
        registry.completed(ended(c2, 1));
        assertFalse(registry.outputLostWith(served));
        assertEquals(7337, registry.shuffleServicePort(served));
        assertTrue(registry.outputLostWith(own));
        assertNull(registry.shuffleServicePort(own));
    }

    @Test
    void replacesLostExecutorsUntilTheFailuresExceedThreeTimesTheInstances() {
        int limit = 2 * ExecutorRegistry.MAX_EXECUTOR_FAILURES_FACTOR;
        for (int i = 1; i <= limit; i++) {
            assertTrue(registry.replaceAfterFailure(), "failure " + i);
        }
        assertFalse(registry.replaceAfterFailure(), "failure " + (limit + 1));
        assertFalse(registry.replaceAfterFailure());
        assertEquals(limit + 2, registry.failures());
    }

    @Test
    void tracksWhichExecutorRunsATask() {
        registry.taskLaunched(42, "exec-3");
        assertEquals("exec-3", registry.executorOfTask(42));
        registry.taskEnded(42);
        assertNull(registry.executorOfTask(42));
    }
}
