package dev.weft.scheduler;

import dev.weft.error.WeftError;
import dev.weft.events.WeftEvent;
import dev.weft.exec.AccumulatorHandle;
import dev.weft.id.ExecutorId;
import dev.weft.id.TaskAttemptId;
import dev.weft.metrics.TaskMetrics;
import dev.weft.plan.Node;
import dev.weft.task.ResultFunction;
import dev.weft.task.TaskOutcome;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's scheduling core: one thread ("weft-scheduler") drains a queue of {@link SchedulerEvent}s
 * and is the only thread that touches DAG and task scheduler state. Users submit jobs from any thread;
 * backends report from theirs; both only enqueue.
 *
 * <p>Lifecycle: construct, {@link #start()}, submit jobs, {@link #close()}.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** Why the backend can run no executors, once it said so; null until then. */
    private volatile String executorsUnavailable;

    private final BlockingQueue<SchedulerEvent> queue = new LinkedBlockingQueue<>();
    private final SchedulerBackend backend;
    private final MapOutputTracker tracker;
    private final EventPublisher events;
    private final TaskScheduler taskScheduler;
    private final DagScheduler dag;
    private final AtomicInteger nextJobId = new AtomicInteger();
    private final Thread thread;
    /** Wakes the scheduler thread when a locality wait expires; only ever posts events. */
    private final ScheduledExecutorService timer;
    /** Reports shuffles the program cannot reach any more; only ever posts events. */
    private final ShuffleCleaner shuffleCleaner;

    private volatile boolean stopped;
    private final SpeculationPolicy speculation;

    /**
     * @param localityWaits delay scheduling waits ({@link LocalityWaits#from})
     * @param pendingTasks  where the scheduler publishes pending tasks' preferred hosts for the backend; the
     *                      same instance the backend got in its {@link DriverContext}
     * @param exclusion     when executors and nodes are excluded after task failures ({@link ExclusionPolicy#from})
     * @param speculation   when slow tasks get copies ({@link SpeculationPolicy#from})
     */
    public Scheduler(
            SchedulerBackend backend,
            MapOutputTracker tracker,
            EventPublisher events,
            Map<Long, AccumulatorHandle> accumulators,
            int maxTaskAttempts,
            int maxStageAttempts,
            LocalityWaits localityWaits,
            PendingTaskLocality pendingTasks,
            ExclusionPolicy exclusion,
            SpeculationPolicy speculation) {
        if (maxStageAttempts < 1) {
            throw new IllegalArgumentException("maxStageAttempts must be >= 1: " + maxStageAttempts);
        }
        this.backend = backend;
        this.tracker = tracker;
        this.events = events;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-scheduler-timer");
            t.setDaemon(true);
            return t;
        });
        this.taskScheduler = new TaskScheduler(
                backend,
                maxTaskAttempts,
                events,
                localityWaits,
                Objects.requireNonNull(backend.hostTopology(), "hostTopology is null"),
                System::nanoTime,
                delayNanos -> {
                    // Fire and forget: the task only enqueues an event and cannot fail.
                    var unused = timer.schedule(
                            () -> queue.add(new SchedulerEvent.ReviveOffers()), delayNanos, TimeUnit.NANOSECONDS);
                },
                pendingTasks,
                exclusion,
                speculation);
        this.speculation = speculation;
        this.shuffleCleaner = new ShuffleCleaner(id -> queue.add(new SchedulerEvent.ShuffleUnreachable(id)));
        this.dag = new DagScheduler(
                taskScheduler,
                tracker,
                events,
                accumulators,
                maxStageAttempts,
                backend,
                () -> queue.add(new SchedulerEvent.ResubmitFailedStages()),
                shuffleCleaner::track);
        taskScheduler.setDagScheduler(dag);
        this.thread = new Thread(this::loop, "weft-scheduler");
        this.thread.setDaemon(true);
    }

    public MapOutputTracker mapOutputTracker() {
        return tracker;
    }

    public EventPublisher events() {
        return events;
    }

    public void start() {
        thread.start();
        shuffleCleaner.start();
        if (speculation.enabled()) {
            // Fire and forget: the task only enqueues an event and cannot fail.
            var unused = timer.scheduleWithFixedDelay(
                    () -> queue.add(new SchedulerEvent.CheckSpeculation()),
                    speculation.intervalMillis(),
                    speculation.intervalMillis(),
                    TimeUnit.MILLISECONDS);
        }
        backend.start(new SchedulerBackend.Listener() {
            @Override
            public void executorAdded(ExecutorId executorId, String host, int cores) {
                queue.add(new SchedulerEvent.ExecutorAdded(executorId.value(), host, cores));
            }

            @Override
            public void executorLost(ExecutorId executorId, WeftError cause, String reason, boolean mapOutputsLost) {
                queue.add(new SchedulerEvent.ExecutorLost(executorId.value(), cause, reason, mapOutputsLost));
            }

            @Override
            public void executorDisconnected(ExecutorId executorId, String reason) {
                queue.add(new SchedulerEvent.ExecutorDisconnected(executorId.value(), reason));
            }

            @Override
            public void taskEnded(TaskAttemptId taskId, TaskOutcome outcome) {
                queue.add(new SchedulerEvent.TaskEnded(taskId.value(), outcome));
            }

            @Override
            public void executorsUnavailable(String reason) {
                executorsUnavailable = reason;
                queue.add(new SchedulerEvent.ExecutorsUnavailable(reason));
            }

            @Override
            public void executorRequested(String node, boolean strict, boolean relaxedAfterWait, String reason) {
                queue.add(new SchedulerEvent.ExecutorRequested(node, strict, relaxedAfterWait, reason));
            }
        });
    }

    /**
     * Runs a job and blocks until it ends. {@code resultHandler} receives (position in {@code partitions},
     * result) on the scheduler thread. Returns the job's summed task metrics.
     *
     * @throws JobFailedException naming the stage, task and cause when the job fails
     */
    public <T, R> TaskMetrics runJob(
            Node<T> node, int[] partitions, ResultFunction<T, R> fn, BiConsumer<Integer, R> resultHandler) {
        if (stopped) {
            throw new IllegalStateException("the context is closed");
        }
        String unavailable = executorsUnavailable;
        if (unavailable != null) {
            throw new JobFailedException(WeftError.EXECUTORS_UNAVAILABLE, "no executors can run: " + unavailable, null);
        }
        @SuppressWarnings("unchecked")
        BiConsumer<Integer, Object> handler = (i, v) -> resultHandler.accept(i, (R) v);
        ActiveJob job = new ActiveJob(nextJobId.getAndIncrement(), node, fn, partitions, handler);
        backend.jobSubmitted(shapeOf(job.jobId, node, partitions.length));
        queue.add(new SchedulerEvent.JobSubmitted(job));
        CompletableFuture<TaskMetrics> done = job.done;
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailedException(WeftError.JOB_CANCELLED, "interrupted while waiting for job " + job.jobId, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof JobFailedException jf) {
                throw jf.rethrown();
            }
            throw new JobFailedException(
                    WeftError.INTERNAL_ERROR, "job " + job.jobId + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The job's shape for the backend; an input that cannot be listed here (a missing path) fails the job on the
     * scheduler thread as before, with the job's usual error, so here its size is only "unknown".
     */
    private static JobShape shapeOf(int jobId, Node<?> node, int partitions) {
        try {
            return JobShape.of(jobId, node, partitions);
        } catch (RuntimeException e) {
            LOG.debug("cannot size job {} before it runs: {}", jobId, e.toString());
            return new JobShape(jobId, 1, partitions, -1);
        }
    }

    /** A persisted dataset's cache was dropped (unpersist); callable from any thread. */
    public void datasetUnpersisted(int nodeId) {
        queue.add(new SchedulerEvent.DatasetUnpersisted(nodeId));
    }

    private void loop() {
        while (true) {
            SchedulerEvent ev;
            try {
                ev = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (ev instanceof SchedulerEvent.JobSubmitted js) {
                    dag.jobSubmitted(js.job());
                } else if (ev instanceof SchedulerEvent.TaskEnded te) {
                    taskScheduler.taskEnded(te.taskId(), te.outcome());
                } else if (ev instanceof SchedulerEvent.ExecutorAdded ea) {
                    taskScheduler.executorAdded(ea.executorId(), ea.host(), ea.cores());
                } else if (ev instanceof SchedulerEvent.ExecutorLost el) {
                    dag.executorLost(el.executorId(), el.reason(), el.mapOutputsLost());
                    taskScheduler.executorLost(el.executorId(), el.cause(), el.reason());
                } else if (ev instanceof SchedulerEvent.ExecutorDisconnected ed) {
                    taskScheduler.executorDisconnected(ed.executorId(), ed.reason());
                } else if (ev instanceof SchedulerEvent.ExecutorsUnavailable eu) {
                    dag.executorsUnavailable(eu.reason());
                } else if (ev instanceof SchedulerEvent.ExecutorRequested er) {
                    events.publish(new WeftEvent.ExecutorRequested(
                            System.currentTimeMillis(), er.node(), er.strict(), er.relaxedAfterWait(), er.reason()));
                } else if (ev instanceof SchedulerEvent.ResubmitFailedStages) {
                    dag.resubmitFailedStages();
                } else if (ev instanceof SchedulerEvent.ReviveOffers) {
                    taskScheduler.reviveOffers();
                } else if (ev instanceof SchedulerEvent.CheckSpeculation) {
                    taskScheduler.checkSpeculation();
                } else if (ev instanceof SchedulerEvent.DatasetUnpersisted du) {
                    taskScheduler.datasetUnpersisted(du.nodeId());
                } else if (ev instanceof SchedulerEvent.ShuffleUnreachable su) {
                    dag.shuffleUnreachable(su.shuffleId());
                } else if (ev instanceof SchedulerEvent.Shutdown sd) {
                    dag.shutdown(sd.reason());
                    return;
                }
            } catch (RuntimeException e) {
                // A bug in the scheduler must not silently stop scheduling; log it and go on.
                LOG.error("scheduler failed to handle {}", ev.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        queue.add(new SchedulerEvent.Shutdown("context closed"));
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        shuffleCleaner.close();
        backend.stop();
    }
}
