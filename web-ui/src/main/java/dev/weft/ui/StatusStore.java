package dev.weft.ui;

import dev.weft.events.ExecutorState;
import dev.weft.events.JobState;
import dev.weft.events.StageState;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the UI shows of one application, kept up to date from its {@link WeftEvent}s: the live driver adds it as a
 * listener, the history server replays an event log into a fresh one, so both render the same data. Views are
 * immutable snapshots.
 *
 * <p>Memory: per stage attempt the store keeps the rows of its first {@value #MAX_TASK_ROWS_PER_STAGE} task attempts
 * (counts, counters and quantiles cover all of them: the quantiles keep four longs per succeeded attempt) and its
 * latest {@value #MAX_FAILURES_PER_STAGE} failures.
 *
 * <p>Thread-safe: events arrive on the scheduler thread (each is O(1) work), views are read by web server threads.
 */
public final class StatusStore implements WeftListener {
    public static final int MAX_TASK_ROWS_PER_STAGE = 20_000;
    public static final int MAX_FAILURES_PER_STAGE = 100;

    private String appId = "";
    private String appName = "";
    private String user = "";
    private int appAttempt = 1;
    private long startTime;
    private long endTime;
    private String state = "RUNNING";
    private Map<String, String> environment = Map.of();

    private final Map<Integer, Job> jobs = new TreeMap<>();
    /** Keyed by {@link #stageKey}: stage id, then attempt. */
    private final NavigableMap<Long, Stage> stages = new TreeMap<>();
    /** Plans of stages by id, from the jobs that planned them: parents and jobs of attempts yet to come. */
    private final Map<Integer, WeftEvent.PlannedStage> planned = new TreeMap<>();

    private final Map<Integer, List<Integer>> jobsOfStage = new TreeMap<>();
    private final Map<String, Executor> executors = new LinkedHashMap<>();
    /** The NodeManager page of each executor's container log, told before or after it registers. */
    private final Map<String, String> logUrls = new TreeMap<>();

    /** Says which application the store shows; the live driver calls it once at start, a log replays it. */
    public synchronized void applicationStarted(String appId, String name, String user, int attempt, long time) {
        this.appId = appId;
        this.appName = name;
        this.user = user;
        this.appAttempt = attempt;
        this.startTime = time;
    }

    /** The driver ended the application: {@code finalState} is SUCCEEDED, FAILED or KILLED. */
    public synchronized void applicationEnded(String finalState, long time) {
        this.state = finalState;
        this.endTime = time;
    }

    /** The job's settings the environment page shows (already redacted: see {@link Redaction}). */
    public synchronized void environment(Map<String, String> settings) {
        this.environment = Map.copyOf(settings);
    }

    /** Where the logs of executor {@code executorId}'s container are (its NodeManager's page). */
    public synchronized void executorLogs(String executorId, String logUrl) {
        logUrls.put(executorId, logUrl);
    }

    /** A log that ends without the driver's last word: the driver died (or still writes it). */
    synchronized void markIncomplete() {
        if (state.equals("RUNNING")) {
            state = "INCOMPLETE";
        }
    }

    @Override
    public synchronized void onEvent(WeftEvent event) {
        if (event instanceof WeftEvent.JobStateChanged j) {
            Job job = jobs.computeIfAbsent(j.jobId(), id -> new Job(id, j.callSite(), j.timeMillis()));
            job.state = j.to();
            if (j.to() != JobState.RUNNING) {
                job.completed = j.timeMillis();
                job.reason = j.to() == JobState.FAILED ? j.reason() : null;
                if (j.metrics() != null) {
                    job.finalCounters = Counters.of(j.metrics());
                }
            }
        } else if (event instanceof WeftEvent.JobPlanned p) {
            Job job = jobs.computeIfAbsent(p.jobId(), id -> new Job(id, "", p.timeMillis()));
            job.plan = p.stages();
            for (WeftEvent.PlannedStage s : p.stages()) {
                planned.putIfAbsent(s.stageId(), s);
                List<Integer> ids = jobsOfStage.computeIfAbsent(s.stageId(), id -> new ArrayList<>());
                if (!ids.contains(p.jobId())) {
                    ids.add(p.jobId());
                }
            }
        } else if (event instanceof WeftEvent.StageStateChanged s) {
            Stage stage = stages.computeIfAbsent(stageKey(s.stageId(), s.attempt()), k -> new Stage(s));
            stage.state = s.to();
            stage.reason = s.reason();
            if (s.to() == StageState.RUNNING) {
                stage.numTasks = s.numTasks();
                stage.submitted = s.timeMillis();
                for (int jobId : jobsOfStage.getOrDefault(s.stageId(), List.of())) {
                    Job job = jobs.get(jobId);
                    if (job != null && job.state == JobState.RUNNING) {
                        job.stageAttemptsRun.add(stageKey(s.stageId(), s.attempt()));
                    }
                }
            } else if (s.to() == StageState.SUCCEEDED || s.to() == StageState.FAILED || s.to() == StageState.ABORTED) {
                stage.completed = s.timeMillis();
            }
        } else if (event instanceof WeftEvent.TaskStateChanged t) {
            onTask(t);
        } else if (event instanceof WeftEvent.ExecutorStateChanged x) {
            Executor e = executors.computeIfAbsent(x.executorId(), id -> new Executor(id, x.host(), x.timeMillis()));
            e.state = x.to();
            if (x.to() == ExecutorState.LOST) {
                e.removed = x.timeMillis();
                e.error = x.error() == null ? null : x.error().name();
                e.reason = x.reason();
            }
        }
    }

    private void onTask(WeftEvent.TaskStateChanged t) {
        Stage stage = stages.get(stageKey(t.stageId(), t.stageAttempt()));
        if (stage == null) {
            return; // a task of a stage attempt the log never announced: nothing to attach it to
        }
        Executor executor = t.executorId() == null ? null : executors.get(t.executorId());
        if (t.from() == null) {
            stage.running++;
            if (t.locality() != null) {
                stage.locality.merge(t.locality(), 1, Integer::sum);
            }
            if (stage.tasks.size() < MAX_TASK_ROWS_PER_STAGE) {
                stage.tasks.put(t.taskId(), new Task(t, executor == null ? null : executor.host));
            }
            if (executor != null) {
                executor.active++;
            }
            return;
        }
        if (t.to() == TaskState.RUNNING) {
            return;
        }
        stage.running = Math.max(0, stage.running - 1);
        Counters counters = Counters.of(t.metrics());
        Task row = stage.tasks.get(t.taskId());
        if (row != null) {
            row.state = t.to();
            row.ended = t.timeMillis();
            row.reason = t.to() == TaskState.SUCCEEDED ? null : t.reason();
            row.error = t.error() == null ? null : t.error().name();
            row.counters = counters;
        }
        if (executor != null) {
            executor.active = Math.max(0, executor.active - 1);
        }
        if (t.to() == TaskState.SUCCEEDED) {
            stage.succeeded++;
            stage.counters = stage.counters.plus(counters);
            long launched = row == null ? t.timeMillis() - counters.runMillis() : row.launched;
            stage.durations.add(t.timeMillis() - launched);
            stage.shuffleRead.add(counters.shuffleBytesRead());
            stage.shuffleWrite.add(counters.shuffleBytesWritten());
            stage.gc.add(counters.gcMillis());
            if (executor != null) {
                executor.completed++;
                executor.counters = executor.counters.plus(counters);
            }
        } else {
            if (t.to() == TaskState.KILLED) {
                stage.killed++;
            } else {
                stage.failed++;
                if (executor != null) {
                    executor.failed++;
                }
            }
            stage.failures.addLast(new StageView.TaskFailure(
                    t.taskId(),
                    t.partition(),
                    t.attempt(),
                    t.executorId(),
                    t.to().name(),
                    t.error() == null ? null : t.error().name(),
                    t.reason()));
            while (stage.failures.size() > MAX_FAILURES_PER_STAGE) {
                stage.failures.removeFirst();
            }
        }
    }

    // ---- views ------------------------------------------------------------------------------------

    public synchronized AppSummary summary() {
        Counters total = Counters.ZERO;
        int activeStages = 0;
        for (Stage s : stages.values()) {
            total = total.plus(s.counters);
            if (s.state == StageState.RUNNING) {
                activeStages++;
            }
        }
        int activeExecutors = 0;
        for (Executor e : executors.values()) {
            if (e.state == ExecutorState.RUNNING) {
                activeExecutors++;
            }
        }
        return new AppSummary(
                appId,
                appName,
                user,
                appAttempt,
                state,
                startTime,
                endTime,
                progress(),
                jobs.size(),
                activeStages,
                activeExecutors,
                total);
    }

    /** Counts over the whole application so far, for metrics: see {@link Totals}. */
    public synchronized Totals totals() {
        int activeJobs = 0;
        int jobsSucceeded = 0;
        int jobsFailed = 0;
        for (Job j : jobs.values()) {
            switch (j.state) {
                case RUNNING -> activeJobs++;
                case SUCCEEDED -> jobsSucceeded++;
                case FAILED -> jobsFailed++;
            }
        }
        int activeStages = 0;
        int runningTasks = 0;
        long succeeded = 0;
        long failed = 0;
        long killed = 0;
        Counters counters = Counters.ZERO;
        for (Stage s : stages.values()) {
            if (s.state == StageState.RUNNING) {
                activeStages++;
            }
            runningTasks += s.running;
            succeeded += s.succeeded;
            failed += s.failed;
            killed += s.killed;
            counters = counters.plus(s.counters);
        }
        int activeExecutors = 0;
        int lostExecutors = 0;
        for (Executor e : executors.values()) {
            if (e.state == ExecutorState.RUNNING) {
                activeExecutors++;
            } else if (e.state == ExecutorState.LOST) {
                lostExecutors++;
            }
        }
        return new Totals(
                activeJobs,
                jobsSucceeded,
                jobsFailed,
                activeStages,
                runningTasks,
                succeeded,
                failed,
                killed,
                activeExecutors,
                lostExecutors,
                counters);
    }

    /** What {@link #totals()} counts: task attempts by how they ended, and the succeeded attempts' counters. */
    public record Totals(
            int activeJobs,
            int jobsSucceeded,
            int jobsFailed,
            int activeStages,
            int runningTasks,
            long tasksSucceeded,
            long tasksFailed,
            long tasksKilled,
            int activeExecutors,
            int lostExecutors,
            Counters counters) {}

    /**
     * What the ResourceManager shows as progress: succeeded over launched-for tasks of the stage attempts that
     * started, capped below 1 until the application succeeded (a later stage may still come).
     */
    public synchronized float progress() {
        if (state.equals("SUCCEEDED")) {
            return 1f;
        }
        long tasks = 0;
        long succeeded = 0;
        for (Stage s : stages.values()) {
            if (s.submitted > 0) {
                tasks += s.numTasks;
                succeeded += Math.min(s.succeeded, s.numTasks);
            }
        }
        return tasks == 0 ? 0f : Math.min(0.99f, (float) succeeded / tasks);
    }

    public synchronized List<JobView> jobs() {
        List<JobView> out = new ArrayList<>(jobs.size());
        jobs.values().forEach(j -> out.add(view(j)));
        return out;
    }

    public synchronized Optional<JobView> job(int jobId) {
        Job j = jobs.get(jobId);
        return j == null ? Optional.empty() : Optional.of(view(j));
    }

    public synchronized List<StageView> stages() {
        List<StageView> out = new ArrayList<>(stages.size());
        stages.values().forEach(s -> out.add(view(s)));
        return out;
    }

    /** Every attempt of stage {@code stageId}, oldest first; empty when there is no such stage. */
    public synchronized List<StageView> stage(int stageId) {
        List<StageView> out = new ArrayList<>();
        stages.subMap(stageKey(stageId, 0), stageKey(stageId + 1, 0)).values().forEach(s -> out.add(view(s)));
        return out;
    }

    public synchronized Optional<StageView> stageAttempt(int stageId, int attempt) {
        Stage s = stages.get(stageKey(stageId, attempt));
        return s == null ? Optional.empty() : Optional.of(view(s));
    }

    /** The task attempts kept for a stage attempt, in launch order; empty when there is no such stage attempt. */
    public synchronized Optional<List<TaskView>> tasks(int stageId, int attempt) {
        Stage s = stages.get(stageKey(stageId, attempt));
        if (s == null) {
            return Optional.empty();
        }
        List<TaskView> out = new ArrayList<>(s.tasks.size());
        s.tasks.values().forEach(t -> out.add(t.view()));
        return Optional.of(out);
    }

    public synchronized List<ExecutorView> executors() {
        List<ExecutorView> out = new ArrayList<>(executors.size());
        for (Executor e : executors.values()) {
            out.add(new ExecutorView(
                    e.id,
                    e.host,
                    e.state,
                    e.added,
                    e.removed,
                    e.error,
                    e.reason,
                    e.active,
                    e.completed,
                    e.failed,
                    e.counters,
                    logUrls.get(e.id)));
        }
        return out;
    }

    public synchronized Map<String, String> environment() {
        return environment;
    }

    private JobView view(Job j) {
        int tasks = 0;
        int succeeded = 0;
        int failed = 0;
        Counters counters = Counters.ZERO;
        List<Integer> stageIds = new ArrayList<>();
        for (long key : j.stageAttemptsRun) {
            Stage s = stages.get(key);
            tasks += s.numTasks;
            succeeded += s.succeeded;
            failed += s.failed;
            counters = counters.plus(s.counters);
            if (!stageIds.contains(s.id)) {
                stageIds.add(s.id);
            }
        }
        return new JobView(
                j.id,
                j.callSite,
                j.state,
                j.submitted,
                j.completed,
                j.reason,
                j.plan,
                stageIds,
                tasks,
                succeeded,
                failed,
                j.finalCounters != null ? j.finalCounters : counters);
    }

    private StageView view(Stage s) {
        WeftEvent.PlannedStage plan = planned.get(s.id);
        Map<TaskLocality, Integer> locality = new EnumMap<>(TaskLocality.class);
        locality.putAll(s.locality);
        return new StageView(
                s.id,
                s.attempt,
                s.name,
                s.shuffleMap,
                s.state,
                s.numTasks,
                s.submitted,
                s.completed,
                s.reason,
                jobsOfStage.getOrDefault(s.id, List.of()),
                plan == null ? List.of() : plan.parentIds(),
                s.running,
                s.succeeded,
                s.failed,
                s.killed,
                locality,
                s.durations.quantiles(),
                s.shuffleRead.quantiles(),
                s.shuffleWrite.quantiles(),
                s.gc.quantiles(),
                new ArrayList<>(s.failures),
                s.counters);
    }

    private static long stageKey(int stageId, int attempt) {
        return ((long) stageId << 32) | (attempt & 0xffffffffL);
    }

    // ---- state --------------------------------------------------------------------------------------

    private static final class Job {
        final int id;
        final String callSite;
        final long submitted;
        JobState state = JobState.RUNNING;
        long completed;
        String reason;
        List<WeftEvent.PlannedStage> plan = List.of();
        final List<Long> stageAttemptsRun = new ArrayList<>();
        Counters finalCounters;

        Job(int id, String callSite, long submitted) {
            this.id = id;
            this.callSite = callSite;
            this.submitted = submitted;
        }
    }

    private static final class Stage {
        final int id;
        final int attempt;
        final String name;
        final boolean shuffleMap;
        StageState state;
        String reason;
        int numTasks;
        long submitted;
        long completed;
        int running;
        int succeeded;
        int failed;
        int killed;
        final Map<TaskLocality, Integer> locality = new EnumMap<>(TaskLocality.class);
        final Map<Long, Task> tasks = new LinkedHashMap<>();
        final Deque<StageView.TaskFailure> failures = new ArrayDeque<>();
        final LongList durations = new LongList();
        final LongList shuffleRead = new LongList();
        final LongList shuffleWrite = new LongList();
        final LongList gc = new LongList();
        Counters counters = Counters.ZERO;

        Stage(WeftEvent.StageStateChanged s) {
            this.id = s.stageId();
            this.attempt = s.attempt();
            this.name = s.name();
            this.shuffleMap = s.shuffleMap();
            this.numTasks = s.numTasks();
        }
    }

    private static final class Task {
        final long taskId;
        final int partition;
        final int attempt;
        final String executorId;
        final String host;
        final TaskLocality locality;
        final long launched;
        TaskState state = TaskState.RUNNING;
        long ended;
        String reason;
        String error;
        Counters counters = Counters.ZERO;

        Task(WeftEvent.TaskStateChanged t, String host) {
            this.taskId = t.taskId();
            this.partition = t.partition();
            this.attempt = t.attempt();
            this.executorId = t.executorId();
            this.host = host;
            this.locality = t.locality();
            this.launched = t.timeMillis();
        }

        TaskView view() {
            return new TaskView(
                    taskId,
                    partition,
                    attempt,
                    executorId,
                    host,
                    state,
                    locality,
                    launched,
                    ended,
                    reason,
                    error,
                    counters);
        }
    }

    private static final class Executor {
        final String id;
        final String host;
        final long added;
        ExecutorState state = ExecutorState.RUNNING;
        long removed;
        String error;
        String reason;
        int active;
        int completed;
        int failed;
        Counters counters = Counters.ZERO;

        Executor(String id, String host, long added) {
            this.id = id;
            this.host = host;
            this.added = added;
        }
    }

    /** A growable array of longs: four per succeeded task, for the quantiles. */
    private static final class LongList {
        private long[] values = new long[16];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        Quantiles quantiles() {
            return Quantiles.of(Arrays.copyOf(values, size));
        }
    }
}
