package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.error.WeftError;
import dev.weft.events.StageState;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.scheduler.OutputCommitCoordinator.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class OutputCommitCoordinatorTest {
    private final OutputCommitCoordinator commits = new OutputCommitCoordinator();

    private void launched(long taskId, int stage, int partition, String executor) {
        commits.onEvent(new WeftEvent.TaskStateChanged(
                1L,
                taskId,
                stage,
                0,
                partition,
                0,
                executor,
                null,
                TaskState.RUNNING,
                "launched",
                null,
                TaskLocality.ANY,
                null));
    }

    private void ended(long taskId, int stage, int partition, String executor, TaskState to, WeftError error) {
        commits.onEvent(new WeftEvent.TaskStateChanged(
                2L, taskId, stage, 0, partition, 0, executor, TaskState.RUNNING, to, "", null, null, error));
    }

    @Test
    void theFirstRunningAttemptToAskWinsAndKeepsItsGrant() {
        launched(1, 3, 0, "e1");
        launched(2, 3, 0, "e2");
        assertEquals(Decision.GRANTED, commits.canCommit("e2", 3, 0, 2));
        assertEquals(Decision.DENIED_OTHER_ATTEMPT, commits.canCommit("e1", 3, 0, 1));
        assertEquals(Decision.GRANTED, commits.canCommit("e2", 3, 0, 2), "asking again changes nothing");
        launched(3, 3, 1, "e1");
        assertEquals(Decision.GRANTED, commits.canCommit("e1", 3, 1, 3), "partitions are decided apart");
    }

    @Test
    void onlyAnAttemptTheDriverLaunchedOnTheAskingExecutorAndStillRunsMayCommit() {
        launched(1, 3, 0, "e1");
        assertEquals(Decision.DENIED_NOT_RUNNING, commits.canCommit("e2", 3, 0, 1), "another executor's attempt");
        assertEquals(Decision.DENIED_NOT_RUNNING, commits.canCommit("e1", 3, 1, 1), "not the partition launched");
        assertEquals(Decision.DENIED_NOT_RUNNING, commits.canCommit("e1", 4, 0, 1), "not the stage launched");
        assertEquals(Decision.DENIED_NOT_RUNNING, commits.canCommit("e1", 3, 0, 99), "never launched");
        ended(1, 3, 0, "e1", TaskState.LOST, WeftError.EXECUTOR_LOST);
        assertEquals(Decision.DENIED_NOT_RUNNING, commits.canCommit("e1", 3, 0, 1), "a zombie of a lost executor");
        assertEquals(0, commits.authorisedCount());
    }

    @Test
    void whenTheAuthorisedAttemptIsLostTheNextAttemptMayCommit() {
        launched(1, 3, 0, "e1");
        assertEquals(Decision.GRANTED, commits.canCommit("e1", 3, 0, 1));
        ended(1, 3, 0, "e1", TaskState.LOST, WeftError.EXECUTOR_LOST);
        launched(2, 3, 0, "e2");
        assertEquals(Decision.GRANTED, commits.canCommit("e2", 3, 0, 2));
        assertEquals(Decision.DENIED_NOT_RUNNING, commits.canCommit("e1", 3, 0, 1));
    }

    @Test
    void aSucceededAttemptKeepsThePartitionUntilTheStageSucceedsThenNoAttemptCommits() {
        launched(1, 3, 0, "e1");
        launched(2, 3, 0, "e2");
        assertEquals(Decision.GRANTED, commits.canCommit("e1", 3, 0, 1));
        ended(1, 3, 0, "e1", TaskState.SUCCEEDED, null);
        assertEquals(Decision.DENIED_OTHER_ATTEMPT, commits.canCommit("e2", 3, 0, 2));
        commits.onEvent(new WeftEvent.StageStateChanged(
                3L, 3, 0, "saveAsTextFile", false, 1, StageState.RUNNING, StageState.SUCCEEDED, ""));
        assertEquals(Decision.DENIED_NOT_RUNNING, commits.canCommit("e2", 3, 0, 2), "the stage is over");
        assertEquals(0, commits.authorisedCount(), "nothing kept for an ended stage");
    }

    @Test
    void manyAttemptsAskingAtOnceGetExactlyOneGrant() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 200; round++) {
                int stage = 100 + round;
                for (int t = 0; t < 8; t++) {
                    launched(stage * 10L + t, stage, 0, "e" + t);
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Decision>> asks = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    long task = stage * 10L + t;
                    String executor = "e" + t;
                    asks.add(pool.submit(() -> {
                        go.await();
                        return commits.canCommit(executor, stage, 0, task);
                    }));
                }
                go.countDown();
                int granted = 0;
                for (Future<Decision> f : asks) {
                    granted += f.get().granted() ? 1 : 0;
                }
                assertEquals(1, granted, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
