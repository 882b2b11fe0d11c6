package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import dev.weft.events.CountingListener;
import dev.weft.events.ExecutorState;
import dev.weft.events.JobCounters;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.metrics.TaskMetrics;
import dev.weft.plan.ParallelCollectionNode;
import dev.weft.task.ResultFunction;
import dev.weft.task.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's retry decision follows the failure's code and category, one test per category: the
 * {@link TaskScheduler} and {@link DagScheduler} run for real on the test thread against a backend that only
 * records launches, and the test reports each attempt's outcome itself.
 */
class TaskFailureDecisionTest {
    private static final int MAX_ATTEMPTS = 3;

    private final TestingSchedulerBackend backend = new TestingSchedulerBackend();
    private final List<WeftEvent.TaskStateChanged> taskEvents = new ArrayList<>();
    private final List<WeftEvent.ExecutorStateChanged> executorEvents = new ArrayList<>();
    private final CountingListener counters = new CountingListener();
    private TaskScheduler scheduler;
    private DagScheduler dag;
    private ActiveJob job;

    @BeforeEach
    void setUp() {
        EventPublisher events = new EventPublisher();
        events.add(e -> {
            if (e instanceof WeftEvent.TaskStateChanged t) {
                taskEvents.add(t);
            } else if (e instanceof WeftEvent.ExecutorStateChanged x) {
                executorEvents.add(x);
            }
        });
        events.add(counters);
        scheduler = new TaskScheduler(
                backend,
                MAX_ATTEMPTS,
                events,
                LocalityWaits.NONE,
                host -> null,
                () -> 0L,
                delay -> {},
                new PendingTaskLocality(),
                ExclusionPolicy.DISABLED,
                SpeculationPolicy.DISABLED);
        dag = new DagScheduler(scheduler, new MapOutputTracker(), events, Map.of(), 4, backend, () -> {}, dep -> {});
        scheduler.setDagScheduler(dag);
        scheduler.executorAdded("e1", "h1", 2);
        scheduler.executorAdded("e2", "h2", 2);
        ParallelCollectionNode<Integer> source = new ParallelCollectionNode<>(1, "parallelize", null, List.of(1, 2), 2);
        ResultFunction<Integer, Long> count = (ctx, it) -> 0L;
        job = new ActiveJob(0, source, count, new int[] {0, 1}, (i, v) -> {});
        dag.jobSubmitted(job);
        assertEquals(List.of(0, 1), launchedPartitions());
    }

    @Test
    void aTaskThatCannotBeSerializedAtLaunchFailsForGoodWithoutReachingTheBackend() {
        int launchesBefore = backend.launched.size();
        TaskSet.TaskSpec unserializable = new TaskSet.TaskSpec(
                0,
                () -> {
                    throw new java.io.NotSerializableException("Thing");
                },
                TaskSet.Preferences.NONE);
        scheduler.submit(new TaskSet(7, 0, 1, "stage 7", List.of(unserializable)));

        assertEquals(launchesBefore, backend.launched.size(), "nothing to launch");
        WeftEvent.TaskStateChanged last = taskEvents.get(taskEvents.size() - 1);
        assertEquals(7, last.stageId());
        assertEquals(TaskState.FAILED, last.to());
        assertEquals(WeftError.NOT_SERIALIZABLE, last.error());
        assertEquals(2, scheduler.runningTasks(), "only the job's two tasks run; the core was given back");
    }

    @Test
    void aUserExceptionIsRetriedUpToTheMaxAttemptsThenFailsTheJobNamingItsCode() throws Exception {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            assertFalse(job.done.isDone(), "failed before attempt " + attempt);
            scheduler.taskEnded(lastLaunchOf(0), userFailure(WeftError.USER_CODE_FAILED));
        }
        assertEquals(MAX_ATTEMPTS, launchesOf(0), "one launch per allowed attempt, none after");
        JobFailedException e = jobFailure();
        assertEquals(WeftError.USER_CODE_FAILED, e.error());
        assertInstanceOf(RemoteTaskException.class, e.getCause());
        assertEquals(WeftError.USER_CODE_FAILED, ((RemoteTaskException) e.getCause()).error());
        assertEquals(
                List.of(WeftError.USER_CODE_FAILED, WeftError.USER_CODE_FAILED, WeftError.USER_CODE_FAILED),
                errorsOf(TaskState.FAILED));
    }

    @Test
    void aResultThatCannotBeSerializedIsNotRetriedAndFailsTheJobAtOnce() throws Exception {
        scheduler.taskEnded(lastLaunchOf(0), userFailure(WeftError.NOT_SERIALIZABLE));
        assertEquals(WeftError.NOT_SERIALIZABLE, jobFailure().error());
        assertEquals(1, launchesOf(0), "no retry");
        assertTrue(backend.killed.contains(lastLaunchOf(1)), "the job's other running task is killed");
    }

    @Test
    void aLostExecutorReRunsItsTasksWithoutCountingThem() throws Exception {
        // More losses than the task may fail: none of them counts.
        for (int i = 0; i < MAX_ATTEMPTS + 2; i++) {
            scheduler.taskEnded(
                    lastLaunchOf(0), new TaskOutcome.ExecutorLost("e1", "container exited", new TaskMetrics()));
            assertFalse(job.done.isDone(), "the job failed after " + (i + 1) + " lost executors");
        }
        assertEquals(MAX_ATTEMPTS + 3, launchesOf(0));
        scheduler.taskEnded(lastLaunchOf(0), success());
        scheduler.taskEnded(lastLaunchOf(1), success());
        assertTrue(job.done.isDone() && !job.done.isCompletedExceptionally(), "the job succeeds");
        assertEquals(MAX_ATTEMPTS + 2, errorsOf(TaskState.LOST).size());
        assertTrue(errorsOf(TaskState.LOST).stream().allMatch(c -> c == WeftError.EXECUTOR_LOST));
    }

    @Test
    void aPreemptedExecutorsTasksReRunUncountedAndTheCountersSayPreempted() {
        int losses = MAX_ATTEMPTS + 2;
        for (int i = 0; i < losses; i++) {
            String runningPartition0 = executorOfLastLaunch(0);
            scheduler.executorAdded("spare-" + i, "h9", 2);
            scheduler.executorLost(runningPartition0, WeftError.EXECUTOR_PREEMPTED, "preempted by the RM");
            // A second report of the same loss (the connection closing after the container) changes nothing.
            scheduler.executorLost(runningPartition0, WeftError.EXECUTOR_LOST, "connection closed");
            assertFalse(job.done.isDone(), "the job failed after " + (i + 1) + " preemptions");
        }
        scheduler.taskEnded(lastLaunchOf(0), success());
        scheduler.taskEnded(lastLaunchOf(1), success());
        assertTrue(job.done.isDone() && !job.done.isCompletedExceptionally(), "the job succeeds");

        JobCounters c = counters.snapshot();
        assertEquals(losses, c.executorsPreempted());
        assertEquals(losses, c.executorsLost(), "the duplicate reports published nothing");
        assertEquals(2 + losses, c.executorsRegistered());
        assertTrue(c.tasksPreempted() >= losses, c.toString());
        assertEquals(c.tasksLost(), c.tasksPreempted(), c.toString());
        assertEquals(0, c.tasksFailed());
        assertEquals(2, c.tasksSucceeded());
        assertEquals(c.tasksLaunched(), c.tasksSucceeded() + c.tasksLost(), c.toString());
        assertTrue(errorsOf(TaskState.LOST).stream().allMatch(e -> e == WeftError.EXECUTOR_PREEMPTED));
        List<WeftEvent.ExecutorStateChanged> lost = executorEvents.stream()
                .filter(x -> x.to() == ExecutorState.LOST)
                .toList();
        assertEquals(losses, lost.size());
        assertTrue(lost.stream()
                .allMatch(x -> x.from() == ExecutorState.RUNNING && x.error() == WeftError.EXECUTOR_PREEMPTED));
    }

    @Test
    void aDisconnectedExecutorIsOfferedNoTaskWhileItsLossIsAwaited() {
        int partitionOnE1 = backend.launched.get(0).executorId().equals("e1")
                ? backend.launched.get(0).task().partition()
                : backend.launched.get(1).task().partition();
        scheduler.executorDisconnected("e1", "connection closed");
        assertFalse(scheduler.isExecutorAlive("e1"));
        // A launch that raced the disconnect comes back lost; e1's freed core must not take the retry.
        for (int i = 0; i < 3; i++) {
            if (!executorOfLastLaunch(partitionOnE1).equals("e1")) {
                break;
            }
            scheduler.taskEnded(
                    lastLaunchOf(partitionOnE1),
                    new TaskOutcome.ExecutorLost("e1", "executor e1 is not registered", new TaskMetrics()));
        }
        assertEquals(2, launchesOf(partitionOnE1), "re-launched once, elsewhere");
        assertEquals("e2", executorOfLastLaunch(partitionOnE1));

        scheduler.executorLost("e1", WeftError.EXECUTOR_LOST, "container killed by SIGKILL");
        List<String> transitions = executorEvents.stream()
                .filter(x -> x.executorId().equals("e1"))
                .map(x -> x.from() + "->" + x.to())
                .toList();
        assertEquals(List.of("null->RUNNING", "RUNNING->DISCONNECTED", "DISCONNECTED->LOST"), transitions);
        assertEquals(1, counters.snapshot().executorsLost());
        assertFalse(job.done.isDone());
    }

    @Test
    void anExecutorRegisteringAgainAfterADisconnectIsOfferedAndItsHostCountedOnce() {
        scheduler.executorDisconnected("e1", "connection closed");
        assertFalse(scheduler.hasExecutorsOnHost("h1"));
        scheduler.executorAdded("e1", "h1", 2);
        assertTrue(scheduler.isExecutorAlive("e1"));
        assertTrue(scheduler.hasExecutorsOnHost("h1"));
        scheduler.executorLost("e1", WeftError.EXECUTOR_LOST, "gone for good");
        assertFalse(scheduler.hasExecutorsOnHost("h1"), "the host is forgotten with its only executor");
        assertEquals(
                List.of("null->RUNNING", "RUNNING->DISCONNECTED", "DISCONNECTED->RUNNING", "RUNNING->LOST"),
                executorEvents.stream()
                        .filter(x -> x.executorId().equals("e1"))
                        .map(x -> x.from() + "->" + x.to())
                        .toList());
    }

    @Test
    void aContainerKilledForMemoryCountsAgainstItsTasks() throws Exception {
        int partitionOnE1 = backend.launched.get(0).executorId().equals("e1")
                ? backend.launched.get(0).task().partition()
                : backend.launched.get(1).task().partition();
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            assertFalse(job.done.isDone());
            scheduler.taskEnded(
                    lastLaunchOf(partitionOnE1),
                    new TaskOutcome.ExecutorLost(
                            WeftError.CONTAINER_KILLED_FOR_MEMORY, "e1", "killed for memory", new TaskMetrics()));
        }
        assertEquals(WeftError.CONTAINER_KILLED_FOR_MEMORY, jobFailure().error());
        assertEquals(MAX_ATTEMPTS, launchesOf(partitionOnE1));
    }

    @Test
    void anExecutorLostForMemoryEndsItsRunningAttemptsWithThatCode() {
        scheduler.executorLost("e1", WeftError.CONTAINER_KILLED_FOR_MEMORY, "killed for memory");
        List<WeftError> lost = errorsOf(TaskState.LOST);
        assertFalse(lost.isEmpty(), "e1 ran at least one task");
        assertTrue(lost.stream().allMatch(c -> c == WeftError.CONTAINER_KILLED_FOR_MEMORY), lost.toString());
    }

    @Test
    void anOutOfMemoryErrorIsRetriedUpToTheMaxAttempts() throws Exception {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            assertFalse(job.done.isDone());
            scheduler.taskEnded(lastLaunchOf(1), userFailure(WeftError.OUT_OF_MEMORY));
        }
        assertEquals(WeftError.OUT_OF_MEMORY, jobFailure().error());
        assertEquals(MAX_ATTEMPTS, launchesOf(1));
    }

    @Test
    void anInternalErrorCountsAgainstTheTaskLikeAUserException() throws Exception {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            assertFalse(job.done.isDone());
            scheduler.taskEnded(lastLaunchOf(0), userFailure(WeftError.INTERNAL_ERROR));
        }
        assertEquals(WeftError.INTERNAL_ERROR, jobFailure().error());
        assertEquals(MAX_ATTEMPTS, launchesOf(0));
    }

    @Test
    void aKilledTaskIsReRunWithoutCountingIt() {
        for (int i = 0; i < MAX_ATTEMPTS + 1; i++) {
            scheduler.taskEnded(lastLaunchOf(0), new TaskOutcome.Killed("speculative copy won", new TaskMetrics()));
        }
        assertFalse(job.done.isDone());
        assertEquals(MAX_ATTEMPTS + 2, launchesOf(0));
        assertEquals(
                List.of(WeftError.TASK_KILLED),
                errorsOf(TaskState.KILLED).stream().distinct().toList());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static TaskOutcome.ExceptionFailure userFailure(WeftError code) {
        return new TaskOutcome.ExceptionFailure(
                code, "java.lang.IllegalStateException", "boom", "at Test", null, new TaskMetrics());
    }

    private static TaskOutcome.Success success() {
        return SchedulerHarness.success();
    }

    private JobFailedException jobFailure() throws InterruptedException {
        return SchedulerHarness.failureOf(job);
    }

    private List<Integer> launchedPartitions() {
        return backend.launched.stream().map(l -> l.task().partition()).sorted().toList();
    }

    private int launchesOf(int partition) {
        return (int) backend.launched.stream()
                .filter(l -> l.task().partition() == partition)
                .count();
    }

    private String executorOfLastLaunch(int partition) {
        String exec = null;
        for (TestingSchedulerBackend.Launched l : backend.launched) {
            if (l.task().partition() == partition) {
                exec = l.executorId();
            }
        }
        return exec;
    }

    private long lastLaunchOf(int partition) {
        long id = -1;
        for (TestingSchedulerBackend.Launched l : backend.launched) {
            if (l.task().partition() == partition) {
                id = l.task().taskId();
            }
        }
        return id;
    }

    private List<WeftError> errorsOf(TaskState state) {
        return taskEvents.stream()
                .filter(t -> t.to() == state)
                .map(WeftEvent.TaskStateChanged::error)
                .toList();
    }
}
