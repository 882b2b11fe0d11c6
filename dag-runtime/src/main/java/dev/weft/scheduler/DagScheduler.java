package dev.weft.scheduler;

import dev.weft.error.WeftError;
import dev.weft.events.JobState;
import dev.weft.events.StageState;
import dev.weft.events.WeftEvent;
import dev.weft.exec.AccumulatorHandle;
import dev.weft.id.MapOutputId;
import dev.weft.id.ShuffleId;
import dev.weft.plan.Dependency;
import dev.weft.plan.NarrowDependency;
import dev.weft.plan.Node;
import dev.weft.plan.ShuffleDependency;
import dev.weft.serde.RecordInput;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.MapStatus;
import dev.weft.task.ResultFunction;
import dev.weft.task.ResultTask;
import dev.weft.task.ShuffleMapTask;
import dev.weft.task.Task;
import dev.weft.task.TaskOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts each job's lineage into stages at shuffle boundaries, runs parent stages first, keeps shuffle
 * outputs for later jobs, and on a fetch failure re-runs only the lost map partitions before retrying
 * the reading stage. Every stage and job transition is checked against its lifecycle, logged once and
 * published as an event.
 *
 * <p>Threading: every method runs on the scheduler thread (see {@link Scheduler}); no locks.
 */
final class DagScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(DagScheduler.class);
    /** Why a map stage that ran no task succeeded in a restarted driver: its outputs came from the journal. */
    static final String RECOVERED = "output recovered from an earlier driver attempt's journal";

    private final TaskScheduler taskScheduler;
    private final MapOutputTracker tracker;
    private final EventPublisher events;
    private final Map<Long, AccumulatorHandle> accumulators;
    private final int maxStageAttempts;
    private final Runnable resubmitLater;
    private final SchedulerBackend backend;
    /** Told of each shuffle when its stage is first built, so that it can be freed once nothing reaches it. */
    private final java.util.function.Consumer<ShuffleDependency> shuffleCreated;

    private int nextStageId;
    private final Map<Integer, Stage> stages = new HashMap<>();
    private final Map<Integer, ShuffleMapStage> shuffleStages = new HashMap<>();
    private final Map<Integer, ActiveJob> activeJobs = new HashMap<>();
    private final Set<Stage> waiting = new LinkedHashSet<>();
    private final Set<Stage> running = new LinkedHashSet<>();
    private final Set<Stage> failed = new LinkedHashSet<>();
    /** Finished work kept for a restarted driver, and what an earlier attempt kept. */
    private final DriverJournal journal;
    /** Each shuffle's lineage as the journal knows it, by shuffle id. */
    private final Map<Integer, ShuffleLineage> lineages = new HashMap<>();
    /** Shuffles whose outputs came from the journal of an earlier driver attempt. */
    private final Set<Integer> recovered = new HashSet<>();
    /** The accumulator updates of each journaled shuffle's counted map outputs, by shuffle id and map id. */
    private final Map<Integer, Map<Integer, Map<Long, Object>>> accumulatorUpdates = new HashMap<>();
    /** Stages of {@link #recovered} shuffles whose success is not yet published (see {@link #announceRecovered}). */
    private final List<ShuffleMapStage> recoveredUnannounced = new ArrayList<>();

    DagScheduler(
            TaskScheduler taskScheduler,
            MapOutputTracker tracker,
            EventPublisher events,
            Map<Long, AccumulatorHandle> accumulators,
            int maxStageAttempts,
            SchedulerBackend backend,
            Runnable resubmitLater,
            java.util.function.Consumer<ShuffleDependency> shuffleCreated) {
        this.taskScheduler = taskScheduler;
        this.tracker = tracker;
        this.events = events;
        this.accumulators = accumulators;
        this.maxStageAttempts = maxStageAttempts;
        this.resubmitLater = resubmitLater;
        this.backend = backend;
        this.shuffleCreated = shuffleCreated;
        this.journal = java.util.Objects.requireNonNull(backend.journal(), "journal is null");
    }

    // ---- jobs -------------------------------------------------------------------------------------

    void jobSubmitted(ActiveJob job) {
        activeJobs.put(job.jobId, job);
        events.publish(new WeftEvent.JobStateChanged(
                now(), job.jobId, job.node.callSite(), null, JobState.RUNNING, "submitted", null));
        try {
            List<Stage> parents = parentStages(job.node, job.jobId);
            ResultStage stage = new ResultStage(nextStageId++, job.node, parents, job);
            stage.jobIds.add(job.jobId);
            stages.put(stage.id, stage);
            job.finalStage = stage;
            markJobStages(stage, job.jobId);
            events.publish(new WeftEvent.JobPlanned(now(), job.jobId, planOf(stage)));
            announceRecovered();
            if (job.partitions.length == 0) {
                jobSucceeded(job);
                return;
            }
            submitStage(stage);
        } catch (RuntimeException e) {
            failJob(
                    job,
                    new JobFailedException(
                            WeftError.PLANNING_FAILED,
                            "Job " + job.jobId + " (" + job.node.callSite() + ") could not be planned: "
                                    + e.getMessage(),
                            e));
        }
    }

    /** {@code last} and every stage it depends on, by stage id. */
    private static List<WeftEvent.PlannedStage> planOf(Stage last) {
        Map<Integer, WeftEvent.PlannedStage> planned = new java.util.TreeMap<>();
        Deque<Stage> todo = new ArrayDeque<>(List.of(last));
        while (!todo.isEmpty()) {
            Stage s = todo.pop();
            if (planned.containsKey(s.id)) {
                continue;
            }
            List<Integer> parentIds = new ArrayList<>(s.parents.size());
            for (Stage p : s.parents) {
                parentIds.add(p.id);
                todo.push(p);
            }
            planned.put(s.id, new WeftEvent.PlannedStage(s.id, s.name, s.isShuffleMap(), s.numPartitions(), parentIds));
        }
        return List.copyOf(planned.values());
    }

    private void markJobStages(Stage stage, int jobId) {
        Deque<Stage> todo = new ArrayDeque<>(List.of(stage));
        while (!todo.isEmpty()) {
            Stage s = todo.pop();
            s.jobIds.add(jobId);
            todo.addAll(s.parents);
        }
    }

    private void jobSucceeded(ActiveJob job) {
        transition(job, JobState.SUCCEEDED, "");
        if (job.finalStage != null) {
            // Every partition has its result: an attempt still running (a copy whose original won, an attempt of a
            // lost executor that still lives) is killed before the program goes on to commit the job's output. The
            // commit coordinator denies such an attempt's commit anyway; this stops it writing at all.
            taskScheduler.cancelStage(job.finalStage.id, "job " + job.jobId + " succeeded");
        }
        cleanUpJob(job);
        job.done.complete(job.metrics);
    }

    private void failJob(ActiveJob job, JobFailedException error) {
        if (job.state != JobState.RUNNING) {
            return;
        }
        transition(job, JobState.FAILED, error.getMessage());
        for (Stage s : new ArrayList<>(stages.values())) {
            if (s.jobIds.contains(job.jobId)
                    && s.jobIds.size() == 1
                    && (running.contains(s) || waiting.contains(s) || failed.contains(s))) {
                taskScheduler.cancelStage(s.id, "job " + job.jobId + " failed");
                running.remove(s);
                waiting.remove(s);
                failed.remove(s);
                transition(s, StageState.ABORTED, "job " + job.jobId + " failed");
            }
        }
        cleanUpJob(job);
        job.done.completeExceptionally(error);
    }

    private void cleanUpJob(ActiveJob job) {
        activeJobs.remove(job.jobId);
        for (Stage s : stages.values()) {
            s.jobIds.remove(job.jobId);
        }
        // Result stages belong to their job; shuffle-map stages stay so later jobs reuse their output, until the
        // program can no longer reach their shuffle (they hold its dependency weakly: shuffleUnreachable).
        stages.values().removeIf(s -> !s.isShuffleMap() && s.jobIds.isEmpty());
        waiting.removeIf(s -> !stages.containsKey(s.id));
        failed.removeIf(s -> !stages.containsKey(s.id));
    }

    /**
     * Nothing can read shuffle {@code shuffleId} again (its dependency was collected): forget its map outputs and have
     * the executors delete its files.
     */
    void shuffleUnreachable(int shuffleId) {
        ShuffleMapStage stage = shuffleStages.get(shuffleId);
        if (stage != null && (!stage.jobIds.isEmpty() || running.contains(stage) || waiting.contains(stage))) {
            // A job that needs a shuffle reaches its dependency, so this cannot happen; keep the stage if it does.
            LOG.warn("shuffle {} was reported unreachable while stage {} of it is needed; kept", shuffleId, stage.id);
            return;
        }
        if (stage != null) {
            shuffleStages.remove(shuffleId);
            stages.remove(stage.id);
            failed.remove(stage);
        }
        tracker.removeShuffle(new ShuffleId(shuffleId));
        backend.removeShuffle(shuffleId);
        LOG.info("shuffle {} is unreachable: its map outputs are forgotten and its files deleted", shuffleId);
    }

    /** Fails every job still running (the context is closing). */
    void shutdown(String reason) {
        for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
            failJob(
                    job,
                    new JobFailedException(
                            WeftError.JOB_CANCELLED, "Job " + job.jobId + " cancelled: " + reason, null));
        }
    }

    /** Fails every active job with {@code error}, {@code message} naming why (e.g. every node is excluded). */
    void failAllJobs(WeftError error, String message) {
        for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
            failJob(job, new JobFailedException(error, "Job " + job.jobId + " failed: " + message, null));
        }
    }

    /** Fails every active job: the backend cannot run executors ({@link WeftError#EXECUTORS_UNAVAILABLE}). */
    void executorsUnavailable(String reason) {
        for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
            failJob(
                    job,
                    new JobFailedException(
                            WeftError.EXECUTORS_UNAVAILABLE,
                            "Job " + job.jobId + " failed: no executors can run: " + reason,
                            null));
        }
    }

    // ---- stage graph ------------------------------------------------------------------------------

    /** The shuffle-map stages directly below {@code node}, created on first use and reused after. */
    private List<Stage> parentStages(Node<?> node, int jobId) {
        List<Stage> parents = new ArrayList<>();
        Set<Integer> visited = new HashSet<>();
        Deque<Node<?>> todo = new ArrayDeque<>(List.of(node));
        while (!todo.isEmpty()) {
            Node<?> n = todo.pop();
            if (!visited.add(n.id())) {
                continue;
            }
            for (Dependency d : n.dependencies()) {
                if (d instanceof ShuffleDependency sd) {
                    ShuffleMapStage s = shuffleStage(sd, jobId);
                    if (!parents.contains(s)) {
                        parents.add(s);
                    }
                } else {
                    todo.push(((NarrowDependency) d).parent());
                }
            }
        }
        return parents;
    }

    private ShuffleMapStage shuffleStage(ShuffleDependency dep, int jobId) {
        ShuffleMapStage existing = shuffleStages.get(dep.shuffleId());
        if (existing != null) {
            return existing;
        }
        List<Stage> parents = parentStages(dep.parent(), jobId);
        ShuffleMapStage s = new ShuffleMapStage(nextStageId++, dep, parents, jobId, tracker);
        tracker.registerShuffle(new ShuffleId(dep.shuffleId()), dep.parent().numPartitions());
        if (journal != DriverJournal.NONE) {
            recover(s, dep);
        }
        shuffleCreated.accept(dep);
        stages.put(s.id, s);
        shuffleStages.put(dep.shuffleId(), s);
        return s;
    }

    /** Registers the outputs an earlier driver attempt completed for {@code dep}, if its journal has them all. */
    private void recover(ShuffleMapStage stage, ShuffleDependency dep) {
        ShuffleLineage lineage = ShuffleLineage.of(dep);
        lineages.put(dep.shuffleId(), lineage);
        journal.recoveredShuffle(lineage).ifPresent(statuses -> {
            statuses.forEach(tracker::register);
            List<Map<Long, Object>> updates = journal.recoveredAccumulatorUpdates(lineage);
            for (int m = 0; m < updates.size(); m++) {
                stage.accumulatorsCounted.set(m);
                mergeAccumulators(updates.get(m));
                accumulatorUpdates
                        .computeIfAbsent(dep.shuffleId(), id -> new HashMap<>())
                        .put(m, updates.get(m));
            }
            recovered.add(dep.shuffleId());
            recoveredUnannounced.add(stage);
            LOG.info("{}: {} map outputs recovered from an earlier driver attempt", lineage, statuses.size());
        });
    }

    /**
     * Map stages whose outputs came from the journal succeed, as an event, once the job that built them is planned
     * (a stage with all its output is never submitted, so no other event would show it).
     */
    private void announceRecovered() {
        for (Iterator<ShuffleMapStage> it = recoveredUnannounced.iterator(); it.hasNext(); ) {
            ShuffleMapStage sm = it.next();
            it.remove();
            if (sm.state == StageState.CREATED && sm.isAvailable()) {
                transition(sm, StageState.SUCCEEDED, RECOVERED);
            }
        }
    }

    private void journalCompleted(ShuffleMapStage sm) {
        ShuffleLineage lineage = lineages.get(sm.shuffleId);
        if (lineage != null) {
            Map<Integer, Map<Long, Object>> byMap = accumulatorUpdates.getOrDefault(sm.shuffleId, Map.of());
            List<Map<Long, Object>> updates = new ArrayList<>(sm.numPartitions());
            for (int m = 0; m < sm.numPartitions(); m++) {
                updates.add(byMap.getOrDefault(m, Map.of()));
            }
            journal.shuffleCompleted(lineage, List.of(tracker.statuses(new ShuffleId(sm.shuffleId))), updates);
        }
    }

    private List<Stage> missingParents(Stage stage) {
        List<Stage> missing = new ArrayList<>();
        for (Stage p : stage.parents) {
            if (p instanceof ShuffleMapStage sm && !sm.isAvailable()) {
                missing.add(p);
            }
        }
        missing.sort(Comparator.comparingInt(s -> s.id));
        return missing;
    }

    private void submitStage(Stage stage) {
        if (waiting.contains(stage) || running.contains(stage) || failed.contains(stage)) {
            return;
        }
        List<Stage> missing = missingParents(stage);
        if (missing.isEmpty()) {
            submitMissingTasks(stage);
            return;
        }
        for (Stage p : missing) {
            submitStage(p);
        }
        waiting.add(stage);
        transition(stage, StageState.WAITING, "waiting for " + missing);
    }

    private void submitWaitingChildren(Stage parent) {
        List<Stage> ready = new ArrayList<>();
        for (Stage s : waiting) {
            if (s.parents.contains(parent)) {
                ready.add(s);
            }
        }
        ready.sort(Comparator.comparingInt((Stage s) -> s.firstJobId).thenComparingInt(s -> s.id));
        for (Stage s : ready) {
            waiting.remove(s);
            submitStage(s);
        }
    }

    private void submitMissingTasks(Stage stage) {
        List<Integer> partitions = stage.missingPartitions();
        if (partitions.isEmpty()) {
            // Everything this stage produces already exists (a shuffle computed by an earlier job or driver attempt).
            transition(
                    stage,
                    StageState.SUCCEEDED,
                    stage instanceof ShuffleMapStage sm && recovered.contains(sm.shuffleId)
                            ? RECOVERED
                            : "output already available");
            submitWaitingChildren(stage);
            return;
        }
        List<TaskSet.TaskSpec> specs = new ArrayList<>(partitions.size());
        try {
            // The first task is serialized now, which proves the stage's closures serializable before anything
            // runs; the others only when they launch (see TaskSet.TaskBytes).
            int first = partitions.get(0);
            byte[] firstBytes = serialize(newTask(stage, first));
            for (int p : partitions) {
                TaskSet.TaskBytes bytes = p == first ? () -> firstBytes : () -> serialize(newTask(stage, p));
                specs.add(new TaskSet.TaskSpec(p, bytes, taskScheduler.preferredLocations(stage.node, p)));
            }
        } catch (NotSerializableException e) {
            abortStage(
                    stage,
                    WeftError.NOT_SERIALIZABLE,
                    "task not serializable: " + e.getMessage() + " does not implement java.io.Serializable",
                    e);
            return;
        } catch (Exception e) {
            abortStage(stage, WeftError.NOT_SERIALIZABLE, "cannot serialize tasks: " + e, e);
            return;
        }
        stage.attempt++;
        stage.pending.clear();
        stage.pending.addAll(partitions);
        running.add(stage);
        transition(stage, StageState.RUNNING, partitions.size() + " tasks");
        int priority = stage.jobIds.stream().min(Integer::compare).orElse(stage.firstJobId);
        TaskSet.ResultCheck check =
                stage instanceof ShuffleMapStage sm ? mapStatusCheck(sm.shuffleId) : TaskSet.ResultCheck.NONE;
        taskScheduler.submit(new TaskSet(stage.id, stage.attempt, priority, stage.name, specs, check));
    }

    /**
     * A map task's report must be the map status of the output it was launched to write: its shuffle, its partition
     * as map id, its task id as attempt (which names the files). Anything else would register output the reducers
     * cannot find, or someone else's.
     */
    static TaskSet.ResultCheck mapStatusCheck(int shuffleId) {
        return (partition, taskId, executorHost, value) -> {
            Object decoded = ValueSerializer.INSTANCE.read(new RecordInput(value));
            if (!(decoded instanceof MapStatus status)) {
                return "a map task returned "
                        + (decoded == null ? "null" : decoded.getClass().getName()) + ", not a map status";
            }
            if (status.shuffleId() != shuffleId || status.mapId() != partition || status.attemptId() != taskId) {
                return "map status for shuffle " + status.shuffleId() + " map " + status.mapId() + " attempt "
                        + status.attemptId() + ", launched as shuffle " + shuffleId + " map " + partition
                        + " attempt " + taskId;
            }
            return null;
        };
    }

    private static Task newTask(Stage stage, int partition) {
        return stage instanceof ShuffleMapStage sm
                ? new ShuffleMapTask(stage.id, sm.dependency(), stage.node.splits()[partition])
                : newResultTask((ResultStage) stage, partition);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Task newResultTask(ResultStage stage, int partition) {
        ActiveJob job = stage.job;
        return new ResultTask(stage.id, (Node) job.node, job.node.splits()[partition], (ResultFunction) job.fn);
    }

    private static byte[] serialize(Task t) throws java.io.IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(1024);
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(t);
        }
        return bos.toByteArray();
    }

    // ---- task outcomes ----------------------------------------------------------------------------

    void taskSucceeded(int stageId, int stageAttempt, int partition, TaskOutcome.Success s) {
        Stage stage = stages.get(stageId);
        if (stage == null) {
            return;
        }
        if (!stage.accumulatorsCounted.get(partition)) {
            stage.accumulatorsCounted.set(partition);
            mergeAccumulators(s);
            if (stage instanceof ShuffleMapStage sm && lineages.containsKey(sm.shuffleId)) {
                accumulatorUpdates
                        .computeIfAbsent(sm.shuffleId, id -> new HashMap<>())
                        .put(partition, new HashMap<>(s.accumulators()));
            }
        }
        for (int jobId : stage.jobIds) {
            ActiveJob j = activeJobs.get(jobId);
            if (j != null) {
                j.metrics.add(s.metrics());
            }
        }
        Object value = ValueSerializer.INSTANCE.read(new RecordInput(s.value()));
        if (stage instanceof ResultStage rs) {
            ActiveJob job = rs.job;
            int idx = job.indexOf(partition);
            if (job.state != JobState.RUNNING || idx < 0 || job.finished[idx]) {
                return;
            }
            job.finished[idx] = true;
            job.numFinished++;
            stage.pending.remove(partition);
            try {
                job.resultHandler.accept(idx, value);
            } catch (RuntimeException e) {
                failJob(
                        job,
                        new JobFailedException(
                                WeftError.USER_CODE_FAILED,
                                "Job " + job.jobId + " failed: the result handler threw " + e,
                                e));
                return;
            }
            if (job.numFinished == job.partitions.length) {
                running.remove(stage);
                transition(stage, StageState.SUCCEEDED, "");
                jobSucceeded(job);
            }
            return;
        }
        ShuffleMapStage sm = (ShuffleMapStage) stage;
        MapStatus reported = (MapStatus) value;
        // Track output by the server that serves it (e.g. the node's shuffle service), not by its writer.
        tracker.register(reported.withLocation(backend.servingLocation(reported.location())));
        if (stageAttempt == stage.attempt) {
            stage.pending.remove(partition);
        }
        if (running.contains(stage) && stage.pending.isEmpty()) {
            running.remove(stage);
            if (sm.isAvailable()) {
                stage.fetchFailedAttempts.clear();
                journalCompleted(sm);
                transition(stage, StageState.SUCCEEDED, "");
                submitWaitingChildren(stage);
            } else {
                // Some outputs were lost while this attempt ran: run those partitions again.
                submitStage(stage);
            }
        }
    }

    private void mergeAccumulators(TaskOutcome.Success s) {
        mergeAccumulators(s.accumulators());
    }

    private void mergeAccumulators(Map<Long, Object> reported) {
        for (Map.Entry<Long, Object> e : reported.entrySet()) {
            AccumulatorHandle acc = accumulators.get(e.getKey());
            if (acc == null) {
                LOG.warn("task reported unknown accumulator {}", e.getKey());
            } else {
                acc.merge(e.getValue());
            }
        }
    }

    void fetchFailed(int stageId, int stageAttempt, int partition, TaskOutcome.FetchFailure f) {
        Stage stage = stages.get(stageId);
        ShuffleMapStage mapStage = shuffleStages.get(f.shuffleId());
        MapStatus lostStatus = tracker.status(f.shuffleId(), f.mapId());
        String output = "shuffle " + f.shuffleId() + " map " + f.mapId() + " (attempt " + f.mapAttemptId() + ")"
                + (lostStatus == null
                        ? ""
                        : " at " + lostStatus.location().host() + ":"
                                + lostStatus.location().port());
        if (f.error() == WeftError.SHUFFLE_SERVER_UNREACHABLE && lostStatus != null) {
            // Triage: an unreachable server lost everything it served, not just this block.
            String host = lostStatus.location().host();
            LOG.info(
                    "fetch failure of {} [{}]: {}; decision: drop every map output served there, and keep re-runs off"
                            + " host {}, because an unreachable server serves none of them",
                    output,
                    f.error(),
                    f.message(),
                    host);
            forgetOutputs(
                    tracker.unregisterServer(host, lostStatus.location().port()),
                    "server " + lostStatus.location() + " unreachable");
            taskScheduler.avoidHost(host);
        } else if (mapStage != null && tracker.unregister(f.shuffleId(), f.mapId(), f.mapAttemptId())) {
            mapStage.accumulatorsCounted.clear(f.mapId());
            LOG.info(
                    "fetch failure of {} [{}]: {}; decision: re-run this one map output, because its server answered"
                            + " (the block is {}) and still serves the others",
                    output,
                    f.error(),
                    f.message(),
                    f.error() == WeftError.SHUFFLE_BLOCK_CORRUPT ? "corrupt" : "missing or unreadable");
        } else if (lostStatus != null && lostStatus.attemptId() != f.mapAttemptId()) {
            // A reader of an older output, or one that found none (a stale stage attempt), reporting after a re-run
            // registered a new one.
            LOG.info(
                    "map output {} of shuffle {}: kept attempt {}; the failed read was of attempt {}",
                    f.mapId(),
                    f.shuffleId(),
                    lostStatus.attemptId(),
                    f.mapAttemptId());
        }
        if (stage == null || stageAttempt != stage.attempt || !running.contains(stage)) {
            return; // an older attempt's failure: already handled
        }
        running.remove(stage);
        taskScheduler.zombify(stageId, stageAttempt);
        stage.fetchFailedAttempts.add(stageAttempt);
        String what = (f.error() == WeftError.SHUFFLE_BLOCK_CORRUPT ? "corrupt block" : "fetch failure")
                + " reading shuffle " + f.shuffleId() + " map " + f.mapId() + " in partition " + partition + ": "
                + f.summary();
        transition(stage, StageState.FAILED, what);
        if (stage.fetchFailedAttempts.size() >= maxStageAttempts) {
            abortStage(
                    stage,
                    f.error(),
                    "stage failed " + stage.fetchFailedAttempts.size() + " times (limit " + maxStageAttempts
                            + "); most recent: " + what,
                    null);
            return;
        }
        failed.add(stage);
        if (mapStage != null) {
            failed.add(mapStage);
        }
        resubmitLater.run();
    }

    void resubmitFailedStages() {
        List<Stage> toRun = new ArrayList<>(failed);
        failed.clear();
        toRun.sort(Comparator.comparingInt((Stage s) -> s.firstJobId).thenComparingInt(s -> s.id));
        for (Stage s : toRun) {
            if (stages.containsKey(s.id) && !s.jobIds.isEmpty()) {
                submitStage(s);
            }
        }
    }

    void taskSetFailed(
            int stageId,
            int stageAttempt,
            int partition,
            int failures,
            long taskId,
            String executorId,
            TaskOutcome.Failure f) {
        Stage stage = stages.get(stageId);
        if (stage == null) {
            return;
        }
        Throwable cause = f instanceof TaskOutcome.ExceptionFailure ef ? deserializeThrowable(ef) : null;
        String times = f.error().isRetriable() ? failures + " times" : "with a failure no retry can fix";
        abortStage(
                stage,
                f.error(),
                "task for partition " + partition + " failed " + times + "; most recent failure: task " + taskId
                        + " (attempt " + (failures - 1) + ") on executor " + executorId + ": " + f.summary(),
                cause);
    }

    void executorLost(String executorId, String reason, boolean mapOutputsLost) {
        if (mapOutputsLost) {
            forgetOutputs(tracker.unregisterExecutor(executorId), "executor " + executorId + " lost (" + reason + ")");
        } else {
            LOG.info(
                    "executor {} lost ({}); its map output stays available from its node's shuffle service",
                    executorId,
                    reason);
        }
    }

    private void forgetOutputs(List<MapOutputId> lost, String why) {
        for (MapOutputId output : lost) {
            ShuffleMapStage stage = shuffleStages.get(output.shuffle().value());
            if (stage != null) {
                stage.accumulatorsCounted.clear(output.mapId());
            }
        }
        if (!lost.isEmpty()) {
            LOG.info("{}: {} map outputs will be recomputed when needed", why, lost.size());
        }
    }

    private void abortStage(Stage stage, WeftError error, String message, Throwable cause) {
        running.remove(stage);
        waiting.remove(stage);
        failed.remove(stage);
        taskScheduler.cancelStage(stage.id, "stage aborted");
        transition(stage, StageState.ABORTED, message);
        for (ActiveJob job : new ArrayList<>(activeJobs.values())) {
            if (stage.jobIds.contains(job.jobId)) {
                failJob(
                        job,
                        new JobFailedException(
                                error,
                                "Job " + job.jobId + " (" + job.node.callSite() + ") failed: stage " + stage.id + " ("
                                        + stage.name + ") aborted: " + message,
                                cause));
            }
        }
    }

    private static Throwable deserializeThrowable(TaskOutcome.ExceptionFailure f) {
        if (f.serializedThrowable() != null) {
            try (ObjectInputStream in =
                    new ValueSerializer.ContextObjectInputStream(new ByteArrayInputStream(f.serializedThrowable()))) {
                return (Throwable) in.readObject();
            } catch (Exception e) {
                // fall through: the class may not exist on the driver
            }
        }
        return new RemoteTaskException(f.error(), f.className(), f.message(), f.stackTrace());
    }

    // ---- lifecycles -------------------------------------------------------------------------------

    private void transition(Stage stage, StageState to, String reason) {
        StageState from = stage.state;
        if (from != to && !from.next().contains(to)) {
            LOG.warn("invalid transition of {}: {} -> {} ({}); applied anyway", stage, from, to, reason);
        }
        stage.state = to;
        events.publish(new WeftEvent.StageStateChanged(
                now(),
                stage.id,
                Math.max(stage.attempt, 0),
                stage.name,
                stage.isShuffleMap(),
                stage.state == StageState.RUNNING ? stage.pending.size() : stage.numPartitions(),
                from,
                to,
                reason));
    }

    private void transition(ActiveJob job, JobState to, String reason) {
        JobState from = job.state;
        if (!from.next().contains(to)) {
            LOG.warn("invalid transition of job {}: {} -> {} ({}); applied anyway", job.jobId, from, to, reason);
        }
        job.state = to;
        events.publish(new WeftEvent.JobStateChanged(
                now(), job.jobId, job.node.callSite(), from, to, reason, job.metrics.copy()));
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    int activeJobCount() {
        return activeJobs.size();
    }
}
