package dev.weft.scheduler;

import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.metrics.TaskMetrics;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns task sets into task attempts on executors' free cores (FIFO by job, then stage), retries failed
 * attempts up to a limit, and reports outcomes to the {@link DagScheduler}. Backend-agnostic: the same
 * code drives the local thread pool and YARN executors. Owned by the scheduler thread.
 */
final class TaskScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(TaskScheduler.class);

    private final SchedulerBackend backend;
    private final int maxTaskAttempts;
    private final EventPublisher events;
    private final AtomicLong nextTaskId = new AtomicLong();
    private final List<TaskSetManager> active = new ArrayList<>();
    private final Map<Long, RunningTask> running = new HashMap<>();
    private final Map<String, Integer> freeCores = new LinkedHashMap<>();
    private DagScheduler dag;

    private record RunningTask(TaskSetManager manager, int partition, int attempt, String executorId) {
    }

    TaskScheduler(SchedulerBackend backend, int maxTaskAttempts, EventPublisher events) {
        if (maxTaskAttempts < 1) {
            throw new IllegalArgumentException("maxTaskAttempts must be >= 1: " + maxTaskAttempts);
        }
        this.backend = backend;
        this.maxTaskAttempts = maxTaskAttempts;
        this.events = events;
    }

    void setDagScheduler(DagScheduler dag) {
        this.dag = dag;
    }

    void executorAdded(String executorId, String host, int cores) {
        freeCores.put(executorId, cores);
        LOG.info("executor {} on {} registered with {} cores", executorId, host, cores);
        revive();
    }

    void executorLost(String executorId, String reason) {
        freeCores.remove(executorId);
        for (Map.Entry<Long, RunningTask> e : new ArrayList<>(running.entrySet())) {
            if (e.getValue().executorId().equals(executorId)) {
                taskEnded(e.getKey(), new TaskOutcome.ExecutorLost(executorId, reason, new TaskMetrics()));
            }
        }
    }

    void submit(TaskSet ts) {
        active.add(new TaskSetManager(ts, maxTaskAttempts));
        active.sort(Comparator.comparingInt((TaskSetManager m) -> m.taskSet.priority())
                .thenComparingInt(m -> m.taskSet.stageId()));
        revive();
    }

    /** Stops launching a stage's tasks and kills its running attempts. */
    void cancelStage(int stageId, String reason) {
        for (TaskSetManager m : active) {
            if (m.taskSet.stageId() == stageId) {
                m.makeZombie();
            }
        }
        for (Map.Entry<Long, RunningTask> e : running.entrySet()) {
            if (e.getValue().manager().taskSet.stageId() == stageId) {
                backend.kill(e.getKey(), reason);
            }
        }
        active.removeIf(TaskSetManager::isDone);
    }

    /** Stops launching new attempts of one stage attempt; attempts in flight may still report. */
    void zombify(int stageId, int stageAttempt) {
        for (TaskSetManager m : active) {
            if (m.taskSet.stageId() == stageId && m.taskSet.stageAttempt() == stageAttempt) {
                m.makeZombie();
            }
        }
        active.removeIf(TaskSetManager::isDone);
    }

    int runningTasks() {
        return running.size();
    }

    private void revive() {
        for (Map.Entry<String, Integer> e : freeCores.entrySet()) {
            String exec = e.getKey();
            while (e.getValue() > 0) {
                TaskSetManager m = firstWithPending();
                if (m == null) {
                    return;
                }
                int[] pa = m.pollNext();
                long taskId = nextTaskId.getAndIncrement();
                TaskSet ts = m.taskSet;
                TaskDescription desc = new TaskDescription(taskId, ts.stageId(), ts.stageAttempt(), pa[0], pa[1],
                        m.serializedTask(pa[0]));
                running.put(taskId, new RunningTask(m, pa[0], pa[1], exec));
                e.setValue(e.getValue() - 1);
                events.publish(new WeftEvent.TaskStateChanged(System.currentTimeMillis(), taskId, ts.stageId(),
                        ts.stageAttempt(), pa[0], pa[1], exec, null, TaskState.RUNNING, "launched", null));
                backend.launch(exec, desc);
            }
        }
    }

    private TaskSetManager firstWithPending() {
        for (TaskSetManager m : active) {
            if (m.hasPending()) {
                return m;
            }
        }
        return null;
    }

    void taskEnded(long taskId, TaskOutcome outcome) {
        RunningTask rt = running.remove(taskId);
        if (rt == null) {
            LOG.warn("ignoring the outcome of unknown task {}: {}", taskId, outcome.getClass().getSimpleName());
            return;
        }
        freeCores.computeIfPresent(rt.executorId(), (k, v) -> v + 1);
        TaskSetManager m = rt.manager();
        TaskSet ts = m.taskSet;
        TaskState to;
        String reason;
        if (outcome instanceof TaskOutcome.Success) {
            to = TaskState.SUCCEEDED;
            reason = "";
        } else if (outcome instanceof TaskOutcome.ExceptionFailure f) {
            to = TaskState.FAILED;
            reason = f.summary();
        } else if (outcome instanceof TaskOutcome.FetchFailure f) {
            to = TaskState.FETCH_FAILED;
            reason = f.message();
        } else if (outcome instanceof TaskOutcome.Killed k) {
            to = TaskState.KILLED;
            reason = String.valueOf(k.reason());
        } else {
            TaskOutcome.ExecutorLost l = (TaskOutcome.ExecutorLost) outcome;
            to = TaskState.LOST;
            reason = "executor " + l.executorId() + " lost: " + l.reason();
        }
        events.publish(new WeftEvent.TaskStateChanged(System.currentTimeMillis(), taskId, ts.stageId(),
                ts.stageAttempt(), rt.partition(), rt.attempt(), rt.executorId(), TaskState.RUNNING, to, reason,
                outcome.metrics()));

        if (outcome instanceof TaskOutcome.Success s) {
            if (m.succeeded(rt.partition())) {
                dag.taskSucceeded(ts.stageId(), ts.stageAttempt(), rt.partition(), s);
            }
        } else if (outcome instanceof TaskOutcome.ExceptionFailure f) {
            int failures = m.failed(rt.partition());
            if (failures >= m.maxAttempts() && !m.isZombie()) {
                m.makeZombie();
                dag.taskSetFailed(ts.stageId(), ts.stageAttempt(), rt.partition(), failures, taskId,
                        rt.executorId(), f);
            }
        } else if (outcome instanceof TaskOutcome.FetchFailure f) {
            m.failed(rt.partition());
            m.makeZombie();
            dag.fetchFailed(ts.stageId(), ts.stageAttempt(), rt.partition(), f);
        } else {
            m.requeue(rt.partition());
        }
        active.removeIf(TaskSetManager::isDone);
        revive();
    }
}
