package dev.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.JobState;
import dev.weft.events.StageState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestStatusStore {

    @Test
    void aRealJobsStagesTasksAndCountersAreWhatItsEventsSay() {
        StatusStore store = new StatusStore();
        List<WeftEvent> events = new ArrayList<>();
        Map<Long, List<String>> result = RecordedJob.run(store, events::add);
        assertEquals(RecordedJob.reference(), result);

        List<JobView> jobs = store.jobs();
        assertEquals(1, jobs.size());
        JobView job = jobs.get(0);
        assertEquals(JobState.SUCCEEDED, job.state());
        assertEquals(3, job.plan().size());
        // The graph is a chain: result <- reduce/re-key <- map.
        WeftEvent.PlannedStage map = job.plan().get(0);
        WeftEvent.PlannedStage middle = job.plan().get(1);
        WeftEvent.PlannedStage last = job.plan().get(2);
        assertEquals(List.of(), map.parentIds());
        assertEquals(List.of(map.stageId()), middle.parentIds());
        assertEquals(List.of(middle.stageId()), last.parentIds());
        assertEquals(List.of(map.stageId(), middle.stageId(), last.stageId()), job.stageIdsRun());

        // Reference: every figure counted again from the raw events.
        for (StageView s : store.stages()) {
            long launched = events.stream()
                    .filter(e ->
                            e instanceof WeftEvent.TaskStateChanged t && t.stageId() == s.stageId() && t.from() == null)
                    .count();
            long succeeded = count(events, s.stageId(), TaskState.SUCCEEDED);
            long failed = count(events, s.stageId(), TaskState.FAILED);
            assertEquals(StageState.SUCCEEDED, s.state(), s.toString());
            assertEquals(succeeded, s.succeededTasks());
            assertEquals(failed, s.failedTasks());
            assertEquals(0, s.runningTasks());
            assertEquals(s.numTasks(), s.succeededTasks());
            assertEquals(
                    launched,
                    s.localityCounts().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum());
            assertEquals(succeeded, s.durationMillis().count());
            assertEquals(failed, s.failures().size());
            long written = events.stream()
                    .filter(e -> e instanceof WeftEvent.TaskStateChanged t
                            && t.stageId() == s.stageId()
                            && t.to() == TaskState.SUCCEEDED)
                    .mapToLong(e -> ((WeftEvent.TaskStateChanged) e).metrics().shuffleBytesWritten)
                    .sum();
            assertEquals(written, s.counters().shuffleBytesWritten());
            assertEquals(s.shuffleWriteBytes().max() > 0, written > 0);
        }
        StageView mapStage = store.stage(map.stageId()).get(0);
        assertEquals(RecordedJob.MAP_PARTITIONS, mapStage.numTasks());
        assertEquals(1, mapStage.failedTasks());
        assertTrue(
                mapStage.failures().get(0).reason().contains(RecordedJob.INJECTED),
                mapStage.failures().toString());
        // What one stage writes, the next reads: records are conserved across each shuffle.
        StageView mid = store.stage(middle.stageId()).get(0);
        StageView res = store.stage(last.stageId()).get(0);
        assertEquals(mapStage.counters().shuffleRecordsWritten(), mid.counters().shuffleRecordsRead());
        assertEquals(mid.counters().shuffleRecordsWritten(), res.counters().shuffleRecordsRead());
        assertEquals(mapStage.counters().shuffleBytesWritten(), mid.counters().shuffleBytesRead());
        assertEquals(
                RecordedJob.reference().values().stream().mapToInt(List::size).sum(),
                mid.counters().shuffleRecordsWritten());

        AppSummary app = store.summary();
        assertEquals(1, app.jobs());
        assertEquals(0, app.activeStages());
        assertEquals(0.99f, app.progress());
        List<TaskView> tasks = store.tasks(map.stageId(), 0).orElseThrow();
        assertEquals(RecordedJob.MAP_PARTITIONS + 1, tasks.size());
        assertEquals(
                1, tasks.stream().filter(t -> t.state() == TaskState.FAILED).count());
    }

    private static long count(List<WeftEvent> events, int stageId, TaskState to) {
        return events.stream()
                .filter(e -> e instanceof WeftEvent.TaskStateChanged t
                        && t.stageId() == stageId
                        && t.from() != null
                        && t.to() == to)
                .count();
    }

    @Test
    void progressCountsOnlyStartedStagesAndStaysBelowOneWhileRunning() {
        StatusStore store = new StatusStore();
        store.onEvent(
                new WeftEvent.StageStateChanged(1, 0, 0, "map", true, 4, StageState.WAITING, StageState.RUNNING, ""));
        assertEquals(0f, store.progress());
        for (int i = 0; i < 4; i++) {
            store.onEvent(task(i, null, TaskState.RUNNING));
            store.onEvent(task(i, TaskState.RUNNING, TaskState.SUCCEEDED));
        }
        assertEquals(0.99f, store.progress());
        store.onEvent(new WeftEvent.StageStateChanged(
                2, 1, 0, "result", false, 4, StageState.WAITING, StageState.RUNNING, ""));
        assertEquals(0.5f, store.progress());
        assertEquals(2, store.summary().activeStages());
        store.applicationEnded("SUCCEEDED", 3);
        assertEquals(1f, store.progress());
    }

    @Test
    void aTaskOfAStageAttemptNeverAnnouncedIsIgnored() {
        StatusStore store = new StatusStore();
        store.onEvent(task(0, null, TaskState.RUNNING));
        assertTrue(store.stages().isEmpty());
        assertTrue(store.tasks(0, 0).isEmpty());
    }

    private static WeftEvent.TaskStateChanged task(int partition, TaskState from, TaskState to) {
        return new WeftEvent.TaskStateChanged(
                3, partition, 0, 0, partition, 0, "driver", from, to, "", null, null, null);
    }
}
