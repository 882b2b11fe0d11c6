package dev.weft.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import dev.weft.events.ExecutorState;
import dev.weft.events.JobState;
import dev.weft.events.StageState;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestFaultPointsAndEvents {
    private static WeftEvent.TaskStateChanged task(
            int stage, int partition, int attempt, String executor, TaskState from, TaskState to) {
        return new WeftEvent.TaskStateChanged(
                5L,
                100L + partition,
                stage,
                0,
                partition,
                attempt,
                executor,
                from,
                to,
                "why\tnot\nthis\\",
                null,
                from == null ? TaskLocality.NODE_LOCAL : null,
                to == TaskState.FAILED ? WeftError.EXECUTOR_LOST : null);
    }

    private static WeftEvent.StageStateChanged stage(int id, StageState to) {
        return new WeftEvent.StageStateChanged(7L, id, 0, "map at X.java:3", true, 4, StageState.WAITING, to, null);
    }

    @Test
    void specsRoundTripAndBadOnesNameTheAcceptedForms() {
        for (FaultPoint p : List.of(
                FaultPoint.stageRunning(2),
                FaultPoint.stageSucceeded(0),
                FaultPoint.tasksSucceeded(1, 3),
                FaultPoint.jobSucceeded(4))) {
            assertEquals(p, FaultPoint.parse(p.spec()));
            assertTrue(p.spec().matches("[a-z0-9-]+"), "usable as an HDFS file name: " + p.spec());
        }
        for (String bad : List.of("stage-succeeded", "stage-succeeded-x", "tasks-succeeded-1", "later-1", "")) {
            String message = assertThrows(IllegalArgumentException.class, () -> FaultPoint.parse(bad))
                    .getMessage();
            assertTrue(message.contains("stage-succeeded-<stage>"), message);
        }
        assertThrows(IllegalArgumentException.class, () -> FaultPoint.tasksSucceeded(0, 0));
        assertThrows(IllegalArgumentException.class, () -> FaultPoint.stageSucceeded(-1));
    }

    @Test
    void pointsAreReachedByTheirEventOnly() {
        assertTrue(FaultPoint.stageSucceeded(1).reachedBy(stage(1, StageState.SUCCEEDED), 0));
        assertFalse(FaultPoint.stageSucceeded(1).reachedBy(stage(1, StageState.RUNNING), 0));
        assertFalse(FaultPoint.stageSucceeded(1).reachedBy(stage(0, StageState.SUCCEEDED), 0));
        assertTrue(FaultPoint.stageRunning(1).reachedBy(stage(1, StageState.RUNNING), 0));
        WeftEvent.TaskStateChanged success = task(0, 1, 0, "e1", TaskState.RUNNING, TaskState.SUCCEEDED);
        assertFalse(FaultPoint.tasksSucceeded(0, 2).reachedBy(success, 0));
        assertTrue(FaultPoint.tasksSucceeded(0, 2).reachedBy(success, 1));
        assertFalse(FaultPoint.tasksSucceeded(0, 2).reachedBy(task(0, 1, 0, "e1", null, TaskState.RUNNING), 1));
        assertTrue(FaultPoint.jobSucceeded(0)
                .reachedBy(
                        new WeftEvent.JobStateChanged(
                                1L, 0, "count at X", JobState.RUNNING, JobState.SUCCEEDED, "", null),
                        0));
    }

    @Test
    void everyEventKindSurvivesItsLineWithEscapesAndNulls() {
        List<WeftEvent> events = List.of(
                new WeftEvent.JobStateChanged(1L, 0, "count at X.java:9", null, JobState.RUNNING, null, null),
                stage(0, StageState.RUNNING),
                new WeftEvent.ExecutorStateChanged(2L, "e1", "host-a", null, ExecutorState.RUNNING, null, null),
                task(0, 0, 0, "e1", null, TaskState.RUNNING),
                task(0, 0, 0, "e1", TaskState.RUNNING, TaskState.FAILED),
                new WeftEvent.ExecutorStateChanged(
                        3L, "e1", "host-a", ExecutorState.RUNNING, ExecutorState.LOST, WeftError.EXECUTOR_LOST, "\\N"),
                new WeftEvent.ExecutorRequested(4L, "host-a", true, false, "2 tasks\tprefer it"),
                new WeftEvent.ExecutorRequested(5L, null, false, true, "no container on [host-a] within 3000 ms"),
                new WeftEvent.ExclusionChanged(
                        8L, dev.weft.events.ExclusionScope.NODE, "host-a", true, 99L, "2 task failures;\tdisk full"),
                new WeftEvent.ExclusionChanged(9L, dev.weft.events.ExclusionScope.EXECUTOR, "e1", false, 0L, null),
                new WeftEvent.JobPlanned(
                        6L,
                        1,
                        List.of(
                                new WeftEvent.PlannedStage(0, "map at X.java:3", true, 4, List.of()),
                                new WeftEvent.PlannedStage(1, "join\tat X.java:4", true, 2, List.of()),
                                new WeftEvent.PlannedStage(2, "count at X.java:5", false, 3, List.of(0, 1)))),
                new WeftEvent.JobPlanned(7L, 2, List.of()));
        for (WeftEvent e : events) {
            String line = EventCodec.encode(e);
            assertFalse(line.contains("\n"), line);
            assertEquals(e, EventCodec.decode(line));
        }
        String message = assertThrows(IllegalArgumentException.class, () -> EventCodec.decode("T\t1\t2"))
                .getMessage();
        assertTrue(message.contains("3 fields, expected 13"), message);
    }

    @Test
    void eventsAnswerAttemptsHostsAndLosses() {
        JobEvents events = new JobEvents(List.of(
                new WeftEvent.ExecutorStateChanged(1L, "e1", "host-a", null, ExecutorState.RUNNING, null, null),
                new WeftEvent.ExecutorStateChanged(1L, "e2", "host-b", null, ExecutorState.RUNNING, null, null),
                stage(0, StageState.RUNNING),
                task(0, 0, 0, "e1", null, TaskState.RUNNING),
                task(0, 1, 0, "e1", null, TaskState.RUNNING),
                task(0, 0, 0, "e1", TaskState.RUNNING, TaskState.FAILED),
                new WeftEvent.ExecutorStateChanged(
                        2L, "e1", "host-a", ExecutorState.RUNNING, ExecutorState.LOST, WeftError.EXECUTOR_LOST, "gone"),
                task(0, 0, 1, "e2", null, TaskState.RUNNING),
                task(0, 0, 1, "e2", TaskState.RUNNING, TaskState.SUCCEEDED),
                task(0, 1, 0, "e1", TaskState.RUNNING, TaskState.SUCCEEDED),
                stage(0, StageState.SUCCEEDED)));
        assertEquals(Map.of(0, 2, 1, 1), events.attemptsByPartition(0));
        assertEquals(3, events.launchedAttempts(0));
        assertEquals(1, events.stageAttempts(0));
        assertEquals(1, events.tasksEndedIn(0, TaskState.FAILED));
        assertEquals(Set.of("host-a", "host-b"), events.hostsOf(0));
        assertEquals(
                List.of("e1"),
                events.lostExecutors().stream()
                        .map(WeftEvent.ExecutorStateChanged::executorId)
                        .toList());
    }
}
