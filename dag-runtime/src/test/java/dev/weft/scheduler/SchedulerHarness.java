package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import dev.weft.events.WeftEvent;
import dev.weft.metrics.TaskMetrics;
import dev.weft.plan.ParallelCollectionNode;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.ValueSerializer;
import dev.weft.task.ResultFunction;
import dev.weft.task.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A {@link TaskScheduler} and {@link DagScheduler} running for real on the test thread, on a fake clock, against a
 * backend that only records what it is asked; the test reports each attempt's outcome and moves the clock itself.
 */
final class SchedulerHarness {
    final TestingSchedulerBackend backend = new TestingSchedulerBackend();
    final List<WeftEvent> events = new ArrayList<>();
    /** Delays the scheduler asked its revive timer for, in nanoseconds, in order. */
    final List<Long> reviveDelays = new ArrayList<>();

    final TaskScheduler scheduler;
    long nowNanos;
    private final DagScheduler dag;

    SchedulerHarness(int maxAttempts, ExclusionPolicy exclusion, SpeculationPolicy speculation, boolean replaces) {
        backend.replaces = replaces;
        EventPublisher publisher = new EventPublisher();
        publisher.add(events::add);
        scheduler = new TaskScheduler(
                backend,
                maxAttempts,
                publisher,
                LocalityWaits.NONE,
                host -> null,
                () -> nowNanos,
                reviveDelays::add,
                new PendingTaskLocality(),
                exclusion,
                speculation);
        dag = new DagScheduler(scheduler, new MapOutputTracker(), publisher, Map.of(), 4, backend, () -> {}, d -> {});
        scheduler.setDagScheduler(dag);
    }

    /** Submits a job of {@code partitions} tasks without preferences; returns it. */
    ActiveJob submitJob(int partitions) {
        List<Integer> data = IntStream.range(0, partitions).boxed().toList();
        ParallelCollectionNode<Integer> source = new ParallelCollectionNode<>(1, "parallelize", null, data, partitions);
        ResultFunction<Integer, Long> count = (ctx, it) -> 0L;
        ActiveJob job =
                new ActiveJob(0, source, count, IntStream.range(0, partitions).toArray(), (i, v) -> {});
        dag.jobSubmitted(job);
        return job;
    }

    void advanceMillis(long ms) {
        nowNanos += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** The attempt launched last for {@code partition}. */
    TestingSchedulerBackend.Launched lastLaunchOf(int partition) {
        TestingSchedulerBackend.Launched last = null;
        for (TestingSchedulerBackend.Launched l : backend.launched) {
            if (l.task().partition() == partition) {
                last = l;
            }
        }
        if (last == null) {
            throw new AssertionError("partition " + partition + " never launched");
        }
        return last;
    }

    List<TestingSchedulerBackend.Launched> launchesOf(int partition) {
        return backend.launched.stream()
                .filter(l -> l.task().partition() == partition)
                .toList();
    }

    void succeed(TestingSchedulerBackend.Launched l) {
        scheduler.taskEnded(l.task().taskId(), success());
    }

    void fail(TestingSchedulerBackend.Launched l) {
        scheduler.taskEnded(l.task().taskId(), userFailure());
    }

    <T extends WeftEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static TaskOutcome.ExceptionFailure userFailure() {
        return new TaskOutcome.ExceptionFailure(
                WeftError.USER_CODE_FAILED,
                "java.io.IOException",
                "No space left on device",
                "at Test",
                null,
                new TaskMetrics());
    }

    static TaskOutcome.Success success() {
        RecordOutput out = new RecordOutput(16);
        ValueSerializer.INSTANCE.write(0L, out);
        return new TaskOutcome.Success(out.toByteArray(), Map.of(), new TaskMetrics());
    }

    static JobFailedException failureOf(ActiveJob job) throws InterruptedException {
        assertTrue(job.done.isCompletedExceptionally(), "the job has not failed");
        try {
            job.done.get();
            throw new AssertionError("unreachable: the job failed");
        } catch (ExecutionException e) {
            return assertInstanceOf(JobFailedException.class, e.getCause());
        }
    }
}
