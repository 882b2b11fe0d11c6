package dev.weft.scheduler;

import dev.weft.error.WeftError;
import dev.weft.events.ExecutorState;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.id.ExecutorId;
import dev.weft.id.TaskAttemptId;
import dev.weft.metrics.TaskMetrics;
import dev.weft.plan.Node;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns task sets into task attempts on executors' free cores, retries failed attempts up to a limit, and
 * reports outcomes to the {@link DagScheduler}. Backend-agnostic: the same code drives the local thread pool
 * and YARN executors.
 *
 * <p>Scheduling rounds ({@link #revive}) run after every event that frees a core, adds an executor or adds
 * tasks. A round offers free cores to task sets in priority order (job, then stage) and, within a task set,
 * level by level from its best locality level, one core per executor per pass, so that an executor is not
 * handed another executor's local task before that executor was asked. Delay scheduling lives in
 * {@link TaskSetManager}; when a round leaves cores idle because task sets are waiting for locality, the
 * scheduler asks the {@link ReviveTimer} for another round when the earliest wait expires, since nothing else
 * would wake it.
 *
 * <p>Threading: owned by the scheduler thread; not thread-safe. The one exception is
 * {@link PendingTaskLocality}, which it publishes for other threads to read.
 */
final class TaskScheduler implements ClusterView {
    private static final Logger LOG = LoggerFactory.getLogger(TaskScheduler.class);

    /** Asks for a {@link #reviveOffers()} call on the scheduler thread after a delay; must not block. */
    @FunctionalInterface
    interface ReviveTimer {
        void reviveAfter(long delayNanos);
    }

    private final SchedulerBackend backend;
    private final int maxTaskAttempts;
    private final EventPublisher events;
    private final LocalityWaits waits;
    private final HostTopology topology;
    private final LongSupplier nanoClock;
    private final ReviveTimer reviveTimer;
    private final PendingTaskLocality pendingLocality;
    private final CacheLocations cacheLocations = new CacheLocations();
    private final PreferredLocations preferredLocations = new PreferredLocations(cacheLocations);
    private final AtomicLong nextTaskId = new AtomicLong();
    private final List<TaskSetManager> active = new ArrayList<>();
    private final Map<Long, RunningTask> running = new HashMap<>();
    /** Live executors by id. */
    private final Map<String, ExecutorSlot> executors = new HashMap<>();
    /**
     * The live executors with a free core, in registration order (the order their cores are offered). A round
     * walks only these, so its cost follows the free cores rather than the size of the cluster.
     */
    private final NavigableSet<ExecutorSlot> withFreeCores =
            new TreeSet<>(Comparator.comparingLong((ExecutorSlot s) -> s.registration));

    private long registrations;

    private final Map<String, Integer> executorsPerHost = new HashMap<>();
    private final Map<String, Integer> hostsPerRack = new HashMap<>();
    /** The per-host pending counts last published, and the rounds until they are gathered again. */
    private Map<String, Integer> publishedByHost = Map.of();

    private int roundsUntilHostsRefresh;

    /** When the revive already asked of the timer fires (on {@link #nanoClock}); MAX_VALUE when none. */
    private long reviveAtNanos = Long.MAX_VALUE;

    private DagScheduler dag;

    /** Attempts whose task could not be serialized at launch; they end, failed, once the round is over. */
    private final List<Map.Entry<Long, TaskOutcome>> unlaunchable = new ArrayList<>();

    private record RunningTask(TaskSetManager manager, int partition, int attempt, String executorId) {}

    private static final class ExecutorSlot {
        final String id;
        final String host;
        /** Order of registration; re-registration under the same id counts as new. */
        final long registration;

        int freeCores;
        /** Its connection closed: no core is offered any more, and its loss (with the cause) is still to come. */
        boolean disconnected;

        ExecutorSlot(String id, String host, long registration, int freeCores) {
            this.id = id;
            this.host = host;
            this.registration = registration;
            this.freeCores = freeCores;
        }
    }

    /**
     * @param nanoClock       monotonic time for locality waits ({@code System::nanoTime}; tests pass a fake)
     * @param reviveTimer     schedules a {@link #reviveOffers()} when a locality wait expires
     * @param pendingLocality where to publish the pending tasks' preferred hosts
     */
    TaskScheduler(
            SchedulerBackend backend,
            int maxTaskAttempts,
            EventPublisher events,
            LocalityWaits waits,
            HostTopology topology,
            LongSupplier nanoClock,
            ReviveTimer reviveTimer,
            PendingTaskLocality pendingLocality) {
        if (maxTaskAttempts < 1) {
            throw new IllegalArgumentException("maxTaskAttempts must be >= 1: " + maxTaskAttempts);
        }
        this.backend = backend;
        this.maxTaskAttempts = maxTaskAttempts;
        this.events = events;
        this.waits = waits;
        this.topology = topology;
        this.nanoClock = nanoClock;
        this.reviveTimer = reviveTimer;
        this.pendingLocality = pendingLocality;
    }

    void setDagScheduler(DagScheduler dag) {
        this.dag = dag;
    }

    // ---- executors ---------------------------------------------------------------------------------

    void executorAdded(String executorId, String host, int cores) {
        ExecutorSlot slot = new ExecutorSlot(executorId, host, registrations++, cores);
        ExecutorSlot previous = executors.put(executorId, slot);
        if (previous != null) {
            // Re-registration under the same id: forget the old incarnation's host before counting the new one
            // (a disconnected incarnation's host was already forgotten).
            withFreeCores.remove(previous);
            if (!previous.disconnected) {
                removeHost(previous.host);
            }
        }
        if (cores > 0) {
            withFreeCores.add(slot);
        }
        if (executorsPerHost.merge(host, 1, Integer::sum) == 1) {
            String rack = topology.rackOf(host);
            if (rack != null) {
                hostsPerRack.merge(rack, 1, Integer::sum);
            }
        }
        LOG.info("executor {} on {} registered with {} cores", executorId, host, cores);
        events.publish(new WeftEvent.ExecutorStateChanged(
                System.currentTimeMillis(),
                executorId,
                host,
                previous == null ? null : previous.disconnected ? ExecutorState.DISCONNECTED : ExecutorState.RUNNING,
                ExecutorState.RUNNING,
                null,
                "registered with " + cores + " cores"));
        active.forEach(TaskSetManager::recomputeLocality);
        revive();
    }

    void executorLost(String executorId, String reason) {
        executorLost(executorId, WeftError.EXECUTOR_LOST, reason);
    }

    /**
     * The executor's connection closed before its loss is known with a cause: its cores stop being offered at
     * once. Without this, every attempt launched onto it in the meantime comes back lost at once and is
     * launched there again, hundreds of times a second, until the loss arrives. Its running attempts stay
     * until then, so they end with the loss's cause (which decides whether they count as failures).
     */
    void executorDisconnected(String executorId, String reason) {
        ExecutorSlot slot = executors.get(executorId);
        if (slot == null || slot.disconnected) {
            return;
        }
        slot.disconnected = true;
        withFreeCores.remove(slot);
        removeHost(slot.host);
        LOG.info("executor {} on {} disconnected ({}); no more tasks go to it", executorId, slot.host, reason);
        events.publish(new WeftEvent.ExecutorStateChanged(
                System.currentTimeMillis(),
                executorId,
                slot.host,
                ExecutorState.RUNNING,
                ExecutorState.DISCONNECTED,
                null,
                reason));
        active.forEach(TaskSetManager::recomputeLocality);
    }

    /** @param cause the code its running attempts end with (see {@link TaskOutcome.ExecutorLost}) */
    void executorLost(String executorId, WeftError cause, String reason) {
        ExecutorSlot slot = executors.remove(executorId);
        if (slot != null) {
            withFreeCores.remove(slot);
            if (!slot.disconnected) {
                removeHost(slot.host);
            }
            // Only once per executor: the backend may report one loss twice (container ended, connection closed).
            events.publish(new WeftEvent.ExecutorStateChanged(
                    System.currentTimeMillis(),
                    executorId,
                    slot.host,
                    slot.disconnected ? ExecutorState.DISCONNECTED : ExecutorState.RUNNING,
                    ExecutorState.LOST,
                    cause,
                    reason));
        }
        cacheLocations.executorLost(executorId);
        active.forEach(TaskSetManager::recomputeLocality);
        for (Map.Entry<Long, RunningTask> e : new ArrayList<>(running.entrySet())) {
            if (e.getValue().executorId().equals(executorId)) {
                taskEnded(e.getKey(), new TaskOutcome.ExecutorLost(cause, executorId, reason, new TaskMetrics()));
            }
        }
    }

    private void removeHost(String host) {
        if (executorsPerHost.merge(host, -1, Integer::sum) <= 0) {
            executorsPerHost.remove(host);
            String rack = topology.rackOf(host);
            if (rack != null && hostsPerRack.merge(rack, -1, Integer::sum) <= 0) {
                hostsPerRack.remove(rack);
            }
        }
    }

    @Override
    public boolean isExecutorAlive(String executorId) {
        ExecutorSlot slot = executors.get(executorId);
        return slot != null && !slot.disconnected;
    }

    @Override
    public boolean hasExecutorsOnHost(String host) {
        return executorsPerHost.containsKey(host);
    }

    @Override
    public boolean hasHostsOnRack(String rack) {
        return hostsPerRack.containsKey(rack);
    }

    // ---- cache -------------------------------------------------------------------------------------

    /** Where a task computing {@code partition} of {@code node} would like to run (see {@link PreferredLocations}). */
    TaskSet.Preferences preferredLocations(Node<?> node, int partition) {
        return preferredLocations.of(node, node.splits()[partition]);
    }

    /** A dataset was unpersisted: its partitions are no reason to prefer any executor any more. */
    void datasetUnpersisted(int nodeId) {
        cacheLocations.datasetRemoved(nodeId);
    }

    // ---- task sets ---------------------------------------------------------------------------------

    void submit(TaskSet ts) {
        active.add(new TaskSetManager(ts, maxTaskAttempts, waits, topology, this, nanoClock));
        active.sort(Comparator.comparingInt((TaskSetManager m) -> m.taskSet.priority())
                .thenComparingInt(m -> m.taskSet.stageId()));
        roundsUntilHostsRefresh = 0;
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
                backend.kill(new TaskAttemptId(e.getKey()), reason);
            }
        }
        active.removeIf(TaskSetManager::isDone);
        publishPendingLocality(true);
    }

    /** Stops launching new attempts of one stage attempt; attempts in flight may still report. */
    void zombify(int stageId, int stageAttempt) {
        for (TaskSetManager m : active) {
            if (m.taskSet.stageId() == stageId && m.taskSet.stageAttempt() == stageAttempt) {
                m.makeZombie();
            }
        }
        active.removeIf(TaskSetManager::isDone);
        publishPendingLocality(true);
    }

    int runningTasks() {
        return running.size();
    }

    // ---- scheduling rounds -------------------------------------------------------------------------

    /** The timer's wake-up: a locality wait may have expired. */
    void reviveOffers() {
        reviveAtNanos = Long.MAX_VALUE;
        revive();
    }

    private void revive() {
        for (TaskSetManager m : active) {
            if (!m.hasPending()) {
                continue;
            }
            for (TaskLocality maxLocality : m.localityLevels()) {
                // One core per executor per pass spreads a task set over executors; repeat while it launches.
                boolean launched;
                do {
                    launched = false;
                    // A copy: a launch that takes an executor's last free core removes it from the set.
                    for (ExecutorSlot slot : List.copyOf(withFreeCores)) {
                        TaskSetManager.Launch l = m.resourceOffer(slot.id, slot.host, maxLocality);
                        if (l != null) {
                            launch(m, l, slot);
                            launched = true;
                        }
                    }
                } while (launched && m.hasPending());
            }
        }
        scheduleReviveIfWaiting();
        publishPendingLocality();
        endUnlaunchable();
    }

    /** Fails the attempts that could not be serialized, as if their executors had reported it (after the round). */
    private void endUnlaunchable() {
        while (!unlaunchable.isEmpty()) {
            Map.Entry<Long, TaskOutcome> e = unlaunchable.remove(unlaunchable.size() - 1);
            taskEnded(e.getKey(), e.getValue());
        }
    }

    private void launch(TaskSetManager m, TaskSetManager.Launch l, ExecutorSlot slot) {
        String executorId = slot.id;
        long taskId = nextTaskId.getAndIncrement();
        TaskSet ts = m.taskSet;
        byte[] serialized;
        try {
            serialized = m.serializedTask(l.partition());
        } catch (IOException | RuntimeException e) {
            // The stage's first task serialized, so this split itself cannot be: no retry can fix that.
            serialized = null;
            unlaunchable.add(Map.entry(
                    taskId,
                    new TaskOutcome.ExceptionFailure(
                            WeftError.NOT_SERIALIZABLE,
                            e.getClass().getName(),
                            "task not serializable: " + e.getMessage(),
                            "",
                            null,
                            new TaskMetrics())));
        }
        running.put(taskId, new RunningTask(m, l.partition(), l.attempt(), executorId));
        if (--slot.freeCores == 0) {
            withFreeCores.remove(slot);
        }
        events.publish(new WeftEvent.TaskStateChanged(
                System.currentTimeMillis(),
                taskId,
                ts.stageId(),
                ts.stageAttempt(),
                l.partition(),
                l.attempt(),
                executorId,
                null,
                TaskState.RUNNING,
                "launched",
                null,
                l.locality(),
                null));
        if (serialized != null) {
            backend.launch(
                    new ExecutorId(executorId),
                    new TaskDescription(
                            taskId, ts.stageId(), ts.stageAttempt(), l.partition(), l.attempt(), serialized));
        }
    }

    /**
     * Cores are idle while some task set waits for a better locality level: nothing but the wait expiring
     * would start another round, so ask the timer for one then (unless an earlier one is already asked for).
     */
    private void scheduleReviveIfWaiting() {
        if (withFreeCores.isEmpty()) {
            return; // the next task end starts a round anyway
        }
        long now = nanoClock.getAsLong();
        long earliest = Long.MAX_VALUE;
        for (TaskSetManager m : active) {
            earliest = Math.min(earliest, m.nextRelaxationNanos(now));
        }
        if (earliest != Long.MAX_VALUE && earliest < reviveAtNanos) {
            reviveAtNanos = earliest;
            reviveTimer.reviveAfter(Math.max(0, earliest - now));
        }
    }

    /**
     * Publishes the pending tasks' counts after every round, and their per-host counts every round while few hosts are
     * named, else every {@code 1 + hosts / 32} rounds: gathering them costs O(hosts), which on a cluster of hundreds of
     * hosts would otherwise dominate a round that launches one task. Between refreshes the per-host counts lag by at
     * most that many rounds' launches (a few tasks out of many pending), which container requests tolerate; they are
     * exact again whenever a stage comes or goes and when nothing is pending.
     */
    private void publishPendingLocality() {
        publishPendingLocality(false);
    }

    private void publishPendingLocality(boolean hostsNow) {
        int pending = 0;
        int localityAware = 0;
        for (TaskSetManager m : active) {
            pending += m.pendingCount();
            localityAware += m.pendingWithHostPreferences();
        }
        if (hostsNow || pending == 0 || --roundsUntilHostsRefresh <= 0) {
            Map<String, Integer> byHost = new HashMap<>();
            for (TaskSetManager m : active) {
                m.countPendingByHost(byHost);
            }
            publishedByHost = Map.copyOf(byHost);
            roundsUntilHostsRefresh = 1 + publishedByHost.size() / 32;
        }
        pendingLocality.publish(new PendingTaskLocality.Snapshot(pending, localityAware, publishedByHost));
    }

    // ---- outcomes ----------------------------------------------------------------------------------

    void taskEnded(long taskId, TaskOutcome outcome) {
        RunningTask rt = running.remove(taskId);
        if (rt == null) {
            LOG.warn(
                    "ignoring the outcome of unknown task {}: {}",
                    taskId,
                    outcome.getClass().getSimpleName());
            return;
        }
        ExecutorSlot slot = executors.get(rt.executorId());
        if (slot != null && slot.freeCores++ == 0 && !slot.disconnected) {
            withFreeCores.add(slot);
        }
        TaskSetManager m = rt.manager();
        TaskSet ts = m.taskSet;
        if (outcome instanceof TaskOutcome.Success s) {
            outcome = checked(ts, rt, taskId, slot == null ? null : slot.host, s);
        }
        TaskState to;
        String reason;
        if (outcome instanceof TaskOutcome.Failure f) {
            to = taskState(f);
            reason = f.summary();
        } else {
            to = TaskState.SUCCEEDED;
            reason = "";
        }
        events.publish(new WeftEvent.TaskStateChanged(
                System.currentTimeMillis(),
                taskId,
                ts.stageId(),
                ts.stageAttempt(),
                rt.partition(),
                rt.attempt(),
                rt.executorId(),
                TaskState.RUNNING,
                to,
                reason,
                outcome.metrics(),
                null,
                outcome instanceof TaskOutcome.Failure f ? f.error() : null));

        if (outcome instanceof TaskOutcome.Success s) {
            if (slot != null) {
                // Even a duplicate success cached its blocks; an executor already lost cached nothing usable.
                cacheLocations.add(rt.executorId(), slot.host, s.cachedBlocks());
            }
            if (m.succeeded(rt.partition())) {
                dag.taskSucceeded(ts.stageId(), ts.stageAttempt(), rt.partition(), s);
            }
        } else {
            failed(m, rt, taskId, (TaskOutcome.Failure) outcome);
        }
        active.removeIf(TaskSetManager::isDone);
        revive();
    }

    /**
     * The success as reported, or an INTERNAL_ERROR failure (retried like any) when the report is not what the
     * launched attempt produces (e.g. its map output named another shuffle, map or attempt).
     */
    private static TaskOutcome checked(
            TaskSet ts, RunningTask rt, long taskId, String executorHost, TaskOutcome.Success s) {
        String wrong;
        try {
            wrong = ts.resultCheck().check(rt.partition(), taskId, executorHost, s.value());
        } catch (RuntimeException e) {
            wrong = "its result cannot be read: " + e;
        }
        if (wrong == null) {
            return s;
        }
        LOG.error(
                "executor {} reported task {} of stage {} wrongly, failing the attempt: {}",
                rt.executorId(),
                taskId,
                ts.stageId(),
                wrong);
        return new TaskOutcome.ExceptionFailure(
                WeftError.INTERNAL_ERROR,
                null,
                "executor " + rt.executorId() + " reported a result the attempt cannot have produced: " + wrong,
                "",
                null,
                s.metrics());
    }

    /**
     * The retry decision, made from the failure's code alone: DATA re-runs the lost map output and then the
     * stage; INFRASTRUCTURE re-runs the attempt uncounted; anything else counts against the task's attempts,
     * and a code that is not retriable aborts the stage at its first failure.
     */
    private void failed(TaskSetManager m, RunningTask rt, long taskId, TaskOutcome.Failure f) {
        TaskSet ts = m.taskSet;
        WeftError error = f.error();
        switch (error.category()) {
            case DATA -> {
                m.failed(rt.partition());
                m.makeZombie();
                // Only a FetchFailure may carry a DATA code (its constructor checks), so the cast holds.
                dag.fetchFailed(ts.stageId(), ts.stageAttempt(), rt.partition(), (TaskOutcome.FetchFailure) f);
            }
            case INFRASTRUCTURE -> m.requeue(rt.partition());
            case USER, RESOURCE, INTERNAL -> {
                int failures = error.isRetriable() ? m.failed(rt.partition()) : m.failedForGood(rt.partition());
                if ((failures >= m.maxAttempts() || !error.isRetriable()) && !m.isZombie()) {
                    m.makeZombie();
                    dag.taskSetFailed(
                            ts.stageId(), ts.stageAttempt(), rt.partition(), failures, taskId, rt.executorId(), f);
                }
            }
        }
    }

    private static TaskState taskState(TaskOutcome.Failure f) {
        if (f instanceof TaskOutcome.FetchFailure) {
            return TaskState.FETCH_FAILED;
        } else if (f instanceof TaskOutcome.Killed) {
            return TaskState.KILLED;
        } else if (f instanceof TaskOutcome.ExecutorLost) {
            return TaskState.LOST;
        }
        return TaskState.FAILED;
    }
}
