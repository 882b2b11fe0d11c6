package dev.weft.scheduler;

import dev.weft.error.WeftError;
import dev.weft.events.ExclusionScope;
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
 * <p>Failures shape where tasks go ({@link ExclusionTracker}): counted failures on one executor or node within a
 * window exclude it for a while (its cores are not offered; the backend may replace it and avoid the node), an
 * exclusion never covers every node the program could run on (the jobs fail naming the nodes instead), and a
 * stage's slow tasks get copies when speculation is on ({@link SpeculationPolicy}); the first attempt of a partition
 * to succeed has the others killed.
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
    private final ExclusionTracker exclusions;
    private final SpeculationPolicy speculation;
    /** Hosts whose shuffle service was unreachable, until when tasks avoid them ({@link #avoidHost}). */
    private final Map<String, Long> avoidedHosts = new HashMap<>();

    private final long exclusionWindowNanos;
    /** When the revive already asked of the timer for the next exclusion expiry fires; MAX_VALUE when none. */
    private long expiryWakeAtNanos = Long.MAX_VALUE;

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

    /** The reason of a speculative copy's launch event. */
    static final String SPECULATIVE_LAUNCH = "launched as a speculative copy";

    private record RunningTask(TaskSetManager manager, int partition, int attempt, String executorId) {}

    private static final class ExecutorSlot {
        final String id;
        final String host;
        /** Order of registration; re-registration under the same id counts as new. */
        final long registration;

        int freeCores;
        /** Its connection closed: no core is offered any more, and its loss (with the cause) is still to come. */
        boolean disconnected;
        /** It or its node is excluded: no core is offered until the exclusion expires. */
        boolean excluded;

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
            PendingTaskLocality pendingLocality,
            ExclusionPolicy exclusion,
            SpeculationPolicy speculation) {
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
        this.exclusions = new ExclusionTracker(exclusion);
        this.speculation = speculation;
        this.exclusionWindowNanos = exclusion.windowNanos();
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
            // (a disconnected or excluded incarnation's host was already forgotten).
            withFreeCores.remove(previous);
            if (offerable(previous)) {
                removeHost(previous.host);
            }
        }
        slot.excluded = exclusions.isExcluded(executorId, host);
        if (!slot.excluded) {
            admit(slot);
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
        if (slot.excluded) {
            // Placed on an excluded node before the backend learnt of the exclusion: it gets no task.
            LOG.info("executor {} registered on excluded node {}; no task goes to it", executorId, host);
            backend.executorExcluded(new ExecutorId(executorId), "registered on excluded node " + host);
        }
        active.forEach(TaskSetManager::recomputeLocality);
        revive();
    }

    /** Offers the slot's free cores and counts its host (the slot is connected and not excluded). */
    private void admit(ExecutorSlot slot) {
        if (slot.freeCores > 0) {
            withFreeCores.add(slot);
        }
        if (executorsPerHost.merge(slot.host, 1, Integer::sum) == 1) {
            String rack = topology.rackOf(slot.host);
            if (rack != null) {
                hostsPerRack.merge(rack, 1, Integer::sum);
            }
        }
    }

    /** Whether the slot's cores are offered: connected and not excluded. */
    private static boolean offerable(ExecutorSlot slot) {
        return !slot.disconnected && !slot.excluded;
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
        boolean wasOfferable = offerable(slot);
        slot.disconnected = true;
        withFreeCores.remove(slot);
        if (wasOfferable) {
            removeHost(slot.host);
        }
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
        exclusions.executorGone(executorId);
        if (slot != null) {
            withFreeCores.remove(slot);
            if (offerable(slot)) {
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
        pendingLocality.publishCachingExecutors(cacheLocations.executors());
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

    @Override
    public boolean hasOfferableExecutorOutside(java.util.Set<String> executorIds) {
        for (ExecutorSlot s : executors.values()) {
            if (offerable(s) && !executorIds.contains(s.id)) {
                return true;
            }
        }
        return false;
    }

    // ---- cache -------------------------------------------------------------------------------------

    /** Where a task computing {@code partition} of {@code node} would like to run (see {@link PreferredLocations}). */
    TaskSet.Preferences preferredLocations(Node<?> node, int partition) {
        return preferredLocations.of(node, node.splits()[partition]);
    }

    /** A dataset was unpersisted: its partitions are no reason to prefer any executor any more. */
    void datasetUnpersisted(int nodeId) {
        cacheLocations.datasetRemoved(nodeId);
        pendingLocality.publishCachingExecutors(cacheLocations.executors());
    }

    // ---- task sets ---------------------------------------------------------------------------------

    void submit(TaskSet ts) {
        active.add(new TaskSetManager(ts, maxTaskAttempts, waits, topology, this, nanoClock, speculation));
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
        expireExclusions();
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
        m.attemptLaunched(l.partition(), taskId, executorId, slot.host, nanoClock.getAsLong());
        if (l.speculative()) {
            LOG.info(
                    "stage {}.{} partition {} runs slowly; copy {} launched on {} ({})",
                    ts.stageId(),
                    ts.stageAttempt(),
                    l.partition(),
                    taskId,
                    executorId,
                    slot.host);
        }
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
                l.speculative() ? SPECULATIVE_LAUNCH : "launched",
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
        if (slot != null && slot.freeCores++ == 0 && offerable(slot)) {
            withFreeCores.add(slot);
        }
        TaskSetManager m = rt.manager();
        TaskSet ts = m.taskSet;
        long now = nanoClock.getAsLong();
        TaskSetManager.RunningAttempt attempt = m.attemptEnded(rt.partition(), taskId);
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
                if (!s.cachedBlocks().isEmpty()) {
                    pendingLocality.publishCachingExecutors(cacheLocations.executors());
                }
            }
            if (m.succeeded(rt.partition(), attempt == null ? 0 : now - attempt.startNanos())) {
                dag.taskSucceeded(ts.stageId(), ts.stageAttempt(), rt.partition(), s);
                if (!m.isZombie()) {
                    // (A zombie's attempts were all killed already: its job ended, e.g. with this success.)
                    killOtherAttempts(m, rt.partition(), taskId);
                }
            }
        } else {
            failed(m, rt, taskId, attempt == null ? null : attempt.host(), (TaskOutcome.Failure) outcome);
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
    private void failed(TaskSetManager m, RunningTask rt, long taskId, String host, TaskOutcome.Failure f) {
        TaskSet ts = m.taskSet;
        WeftError error = f.error();
        switch (error.category()) {
            case DATA -> {
                m.failed(rt.partition(), rt.executorId());
                m.makeZombie();
                // Only a FetchFailure may carry a DATA code (its constructor checks), so the cast holds.
                dag.fetchFailed(ts.stageId(), ts.stageAttempt(), rt.partition(), (TaskOutcome.FetchFailure) f);
            }
            case INFRASTRUCTURE -> m.requeue(rt.partition());
            case USER, RESOURCE, INTERNAL -> {
                if (error.isRetriable() && !m.failedOnAnotherExecutor(rt.partition(), rt.executorId())) {
                    // Before the retry is queued, so that it already avoids what this failure excludes. A partition
                    // that already failed elsewhere carries its own fault (a poison record, a bug): not this
                    // executor's.
                    countFailure(rt.executorId(), host, f);
                }
                int failures = error.isRetriable()
                        ? m.failed(rt.partition(), rt.executorId())
                        : m.failedForGood(rt.partition());
                if ((failures >= m.maxAttempts() || !error.isRetriable()) && !m.isZombie()) {
                    m.makeZombie();
                    dag.taskSetFailed(
                            ts.stageId(), ts.stageAttempt(), rt.partition(), failures, taskId, rt.executorId(), f);
                }
            }
        }
    }

    /** The first success of a partition: its other attempts (a speculative copy, or the original) are killed. */
    private void killOtherAttempts(TaskSetManager m, int partition, long winner) {
        for (TaskSetManager.RunningAttempt other : m.runningAttempts(partition)) {
            LOG.info(
                    "stage {}.{} partition {}: task {} succeeded first; killing task {} on {}",
                    m.taskSet.stageId(),
                    m.taskSet.stageAttempt(),
                    partition,
                    winner,
                    other.taskId(),
                    other.executorId());
            backend.kill(new TaskAttemptId(other.taskId()), "another attempt (task " + winner + ") succeeded");
        }
    }

    // ---- speculation -------------------------------------------------------------------------------

    /** The speculation timer's tick: marks slow tasks for copies and offers cores if any was marked. */
    void checkSpeculation() {
        if (!speculation.enabled()) {
            return;
        }
        long now = nanoClock.getAsLong();
        boolean marked = false;
        for (TaskSetManager m : active) {
            marked |= m.findSpeculatable(now);
        }
        if (marked) {
            revive();
        }
    }

    // ---- exclusion ---------------------------------------------------------------------------------

    /** A failure that counts against a task's attempts happened on {@code executorId} on {@code host}. */
    private void countFailure(String executorId, String host, TaskOutcome.Failure f) {
        long now = nanoClock.getAsLong();
        ExclusionTracker.Due due = exclusions.failed(executorId, host, now);
        if (due.node()) {
            excludeNode(
                    host,
                    exclusions.recentFailures(ExclusionScope.NODE, host) + " task failures on the node; the last on "
                            + executorId + ": " + f.summary(),
                    f.error());
        }
        if (due.executor()) {
            excludeExecutor(
                    executorId,
                    exclusions.recentFailures(ExclusionScope.EXECUTOR, executorId) + " task failures; the last: "
                            + f.summary());
        }
    }

    private void excludeExecutor(String executorId, String reason) {
        ExecutorSlot slot = executors.get(executorId);
        if (slot == null || slot.excluded) {
            return;
        }
        if (!backend.replacesExcludedExecutors() && !hasOfferableExecutorOutside(java.util.Set.of(executorId))) {
            // Local mode: excluding its one executor would stop the program; the attempt limit decides instead.
            LOG.debug(
                    "not excluding executor {} ({}): it is the last executor and nothing replaces it",
                    executorId,
                    reason);
            return;
        }
        long until = exclusions.exclude(ExclusionScope.EXECUTOR, executorId, nanoClock.getAsLong());
        publishExclusion(ExclusionScope.EXECUTOR, executorId, true, until, reason);
        setExcluded(slot, true);
        backend.executorExcluded(new ExecutorId(executorId), reason);
        active.forEach(TaskSetManager::recomputeLocality);
        scheduleExpiryWake();
    }

    /**
     * Excludes a node, unless that would leave no node to run on: then, on a cluster of several hosts whose backend
     * could have replaced executors elsewhere, every running job fails naming the nodes (with {@code error}, the last
     * failure's code); on one host, the node stays, as the only place tasks can run.
     */
    private void excludeNode(String host, String reason, WeftError error) {
        if (host == null || exclusions.isNodeExcluded(host)) {
            return;
        }
        java.util.Set<String> candidates = new java.util.TreeSet<>(backend.clusterHosts());
        for (ExecutorSlot s : executors.values()) {
            candidates.add(s.host);
        }
        candidates.add(host);
        boolean singleHost = candidates.size() == 1;
        candidates.removeAll(exclusions.excludedNodes());
        candidates.remove(host);
        if (candidates.isEmpty()) {
            java.util.Set<String> all = new java.util.TreeSet<>(exclusions.excludedNodes());
            all.add(host);
            if (!backend.replacesExcludedExecutors() || singleHost) {
                // One host (local mode, a one-node cluster): excluding it would stop the program, and failing at once
                // would only pre-empt the attempt limit with a vaguer message.
                LOG.debug("not excluding node {} ({}): it is the only node tasks can run on", host, reason);
                return;
            }
            String message = "every node this application can run on would be excluded after repeated task failures"
                    + " (" + String.join(", ", all) + "); the last, " + host + ": " + reason;
            LOG.error(message);
            dag.failAllJobs(error, message);
            return;
        }
        long until = exclusions.exclude(ExclusionScope.NODE, host, nanoClock.getAsLong());
        publishExclusion(ExclusionScope.NODE, host, true, until, reason);
        for (ExecutorSlot s : executors.values()) {
            if (s.host.equals(host)) {
                setExcluded(s, true);
            }
        }
        backend.nodeExclusionChanged(host, true, reason);
        for (ExecutorSlot s : List.copyOf(executors.values())) {
            if (s.host.equals(host) && !s.disconnected) {
                backend.executorExcluded(new ExecutorId(s.id), "node " + host + " excluded: " + reason);
            }
        }
        active.forEach(TaskSetManager::recomputeLocality);
        scheduleExpiryWake();
    }

    /**
     * The shuffle service on {@code host} could not be reached, and the map outputs it served were dropped (by the DAG
     * scheduler): for {@link ExclusionPolicy#windowMillis()} no task goes to an executor on that host while an executor
     * elsewhere is offered, so that the re-runs do not write their output back where it cannot be served. Softer than
     * excluding the node: an executor's own server is unreachable when that executor died, which says nothing of its
     * node, and on a cluster of one host this changes nothing.
     */
    void avoidHost(String host) {
        avoidedHosts.put(host, nanoClock.getAsLong() + exclusionWindowNanos);
        LOG.info(
                "tasks avoid host {} for {} ms while executors elsewhere are offered",
                host,
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(exclusionWindowNanos));
    }

    @Override
    public boolean avoidsHost(String host) {
        if (avoidedHosts.isEmpty()) {
            return false;
        }
        long now = nanoClock.getAsLong();
        avoidedHosts.values().removeIf(until -> now - until >= 0);
        if (!avoidedHosts.containsKey(host)) {
            return false;
        }
        for (ExecutorSlot s : executors.values()) {
            if (offerable(s) && !avoidedHosts.containsKey(s.host)) {
                return true;
            }
        }
        return false;
    }

    /** Changes whether the slot's cores are offered (with its host's count), keeping its disconnection in force. */
    private void setExcluded(ExecutorSlot slot, boolean excluded) {
        if (slot.excluded == excluded) {
            return;
        }
        boolean wasOfferable = offerable(slot);
        slot.excluded = excluded;
        if (wasOfferable && !offerable(slot)) {
            withFreeCores.remove(slot);
            removeHost(slot.host);
        } else if (!wasOfferable && offerable(slot)) {
            admit(slot);
        }
    }

    /** Ends the exclusions that are due and offers the executors they covered again. */
    private void expireExclusions() {
        if (expiryWakeAtNanos == Long.MAX_VALUE && exclusions.nextExpiryNanos() == Long.MAX_VALUE) {
            return;
        }
        long now = nanoClock.getAsLong();
        List<ExclusionTracker.Expired> expired = exclusions.expire(now);
        if (now - expiryWakeAtNanos >= 0) {
            expiryWakeAtNanos = Long.MAX_VALUE; // the wake asked for has come
        }
        if (expired.isEmpty()) {
            scheduleExpiryWake();
            return;
        }
        for (ExclusionTracker.Expired e : expired) {
            publishExclusion(e.scope(), e.target(), false, 0, "exclusion expired");
            if (e.scope() == ExclusionScope.NODE) {
                backend.nodeExclusionChanged(e.target(), false, "exclusion expired");
            }
        }
        for (ExecutorSlot s : executors.values()) {
            setExcluded(s, exclusions.isExcluded(s.id, s.host));
        }
        active.forEach(TaskSetManager::recomputeLocality);
        scheduleExpiryWake();
    }

    /** Asks the timer for a round when the next exclusion ends (nothing else would offer its cores then). */
    private void scheduleExpiryWake() {
        long next = exclusions.nextExpiryNanos();
        if (next != Long.MAX_VALUE && next < expiryWakeAtNanos) {
            expiryWakeAtNanos = next;
            reviveTimer.reviveAfter(Math.max(0, next - nanoClock.getAsLong()));
        }
    }

    private void publishExclusion(
            dev.weft.events.ExclusionScope scope, String target, boolean excluded, long untilNanos, String reason) {
        long untilMillis = excluded
                ? System.currentTimeMillis()
                        + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(untilNanos - nanoClock.getAsLong())
                : 0;
        events.publish(new WeftEvent.ExclusionChanged(
                System.currentTimeMillis(), scope, target, excluded, untilMillis, reason));
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
