package dev.weft.scheduler;

import dev.weft.events.TaskLocality;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Tracks the attempts of one {@link TaskSet}: which partitions are pending, running, done, and how often
 * each failed, and picks the task that fits an offered core best (delay scheduling).
 *
 * <p>Pending partitions are indexed by preferred executor, host and rack, plus one list of tasks without
 * preferences and one of all tasks. The indexes are cleaned lazily: a launched partition stays in the lists
 * it was not taken from and is skipped when met, which keeps launching O(1) amortized.
 *
 * <p>Delay scheduling, as in Spark and Tez: the manager has a current level among the levels some live
 * executor could satisfy ({@link #localityLevels()}). Offers get tasks at that level or better. Once no task
 * launched for the level's wait ({@link LocalityWaits}), the manager relaxes to the next level; a launch at a
 * level resets the current level to it and restarts the wait. A level with nothing left to launch is skipped
 * at once, and tasks without preferences are launched by any offer.
 *
 * <p>Failures shape where a partition runs next: after a counted failure on an executor, the partition is not offered
 * to that executor again while some other offered executor could take it. With speculation on
 * ({@link SpeculationPolicy}), a partition whose only attempt runs much longer than the stage's median gets one copy,
 * launched on a host where no attempt of it runs, after the regular pending tasks.
 *
 * <p>A zombie manager launches nothing more but still accepts results of attempts in flight.
 *
 * <p>Threading: owned by the scheduler thread; not thread-safe.
 */
final class TaskSetManager {
    /**
     * A task chosen for an offer: partition, attempt number, the locality it runs at, and whether it is a speculative
     * copy of a running attempt.
     */
    record Launch(int partition, int attempt, TaskLocality locality, boolean speculative) {}

    /** An attempt running now: its task id, where, and since when (on the manager's clock). */
    record RunningAttempt(long taskId, String executorId, String host, long startNanos) {}

    final TaskSet taskSet;
    private final int maxAttempts;
    private final LocalityWaits waits;
    private final HostTopology topology;
    private final ClusterView cluster;
    private final LongSupplier nanoClock;
    private final SpeculationPolicy speculation;

    private final Map<Integer, TaskSet.TaskSpec> byPartition = new HashMap<>();
    private final Map<Integer, Integer> launches = new HashMap<>();
    private final Map<Integer, Integer> failures = new HashMap<>();
    private final Set<Integer> succeeded = new HashSet<>();
    /** Partitions waiting for a launch; the lists below may hold stale entries that are not in here. */
    private final Set<Integer> pending = new LinkedHashSet<>();
    /**
     * Per preferred host, the pending partitions that would like to run there, and how many pending partitions
     * have any preferred host: kept up to date on every change of {@link #pending}, because the scheduler
     * publishes them after every round and recounting them was quadratic in the stage's size.
     */
    private final Map<String, Integer> pendingByHost = new HashMap<>();

    private int pendingWithHosts;

    private final Map<String, Deque<Integer>> forExecutor = new HashMap<>();
    private final Map<String, Deque<Integer>> forHost = new HashMap<>();
    private final Map<String, Deque<Integer>> forRack = new HashMap<>();
    private final Deque<Integer> noPrefs = new ArrayDeque<>();
    private final Deque<Integer> all = new ArrayDeque<>();
    private int running;
    private boolean zombie;
    /** Per partition, the executors where an attempt failed in a way that counts against its attempts. */
    private final Map<Integer, Set<String>> failedOn = new HashMap<>();
    /** The attempts running now, per partition (a partition has two while a speculative copy runs). */
    private final Map<Integer, List<RunningAttempt>> attempts = new HashMap<>();
    /** Durations of the partitions' first successes, in nanoseconds, for the speculation median. */
    private final List<Long> successNanos = new ArrayList<>();
    /** Partitions found slow and waiting for their copy to launch. */
    private final Set<Integer> speculatable = new LinkedHashSet<>();
    /** Partitions that got (or are waiting for) their one copy. */
    private final Set<Integer> copied = new HashSet<>();

    private List<TaskLocality> levels;
    private int currentLevel;
    private long lastLevelResetNanos;

    TaskSetManager(
            TaskSet taskSet,
            int maxAttempts,
            LocalityWaits waits,
            HostTopology topology,
            ClusterView cluster,
            LongSupplier nanoClock,
            SpeculationPolicy speculation) {
        this.taskSet = taskSet;
        this.speculation = speculation;
        this.maxAttempts = maxAttempts;
        this.waits = waits;
        this.topology = topology;
        this.cluster = cluster;
        this.nanoClock = nanoClock;
        for (TaskSet.TaskSpec t : taskSet.tasks()) {
            byPartition.put(t.partition(), t);
            addPending(t.partition(), false);
        }
        this.levels = computeLevels();
        this.lastLevelResetNanos = nanoClock.getAsLong();
    }

    // ---- pending indexes ---------------------------------------------------------------------------

    private void addPending(int partition, boolean first) {
        TaskSet.Preferences prefs = byPartition.get(partition).preferences();
        for (String e : prefs.executors()) {
            add(forExecutor.computeIfAbsent(e, k -> new ArrayDeque<>()), partition, first);
        }
        Set<String> racks = new LinkedHashSet<>();
        for (String h : prefs.hosts()) {
            add(forHost.computeIfAbsent(h, k -> new ArrayDeque<>()), partition, first);
            String rack = topology.rackOf(h);
            if (rack != null) {
                racks.add(rack);
            }
        }
        for (String r : racks) {
            add(forRack.computeIfAbsent(r, k -> new ArrayDeque<>()), partition, first);
        }
        if (prefs.isEmpty()) {
            add(noPrefs, partition, first);
        }
        add(all, partition, first);
        if (pending.add(partition)) {
            countPending(prefs, 1);
        }
    }

    /** Adds {@code delta} to the pending counts of a partition's distinct preferred hosts. */
    private void countPending(TaskSet.Preferences prefs, int delta) {
        List<String> hosts = prefs.hosts();
        if (hosts.isEmpty()) {
            return;
        }
        pendingWithHosts += delta;
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i);
            if (hosts.subList(0, i).contains(h)) {
                continue; // listed twice; counts once
            }
            if (pendingByHost.merge(h, delta, Integer::sum) == 0) {
                pendingByHost.remove(h);
            }
        }
    }

    private boolean removePending(int partition) {
        if (!pending.remove(partition)) {
            return false;
        }
        countPending(byPartition.get(partition).preferences(), -1);
        return true;
    }

    private static void add(Deque<Integer> list, int partition, boolean first) {
        if (first) {
            list.addFirst(partition);
        } else {
            list.addLast(partition);
        }
    }

    /**
     * Takes the first still-pending partition of {@code list} that {@code executorId} may run, dropping stale entries
     * on the way and leaving the partitions it skips.
     */
    private Integer take(Deque<Integer> list, String executorId, String host) {
        if (list == null) {
            return null;
        }
        for (Iterator<Integer> it = list.iterator(); it.hasNext(); ) {
            int p = it.next();
            if (!pending.contains(p)) {
                it.remove();
            } else if (!avoids(p, executorId, host)) {
                it.remove();
                removePending(p);
                return p;
            }
        }
        return null;
    }

    /**
     * Whether {@code executorId} on {@code host} should not get {@code partition}: an attempt of it failed there, and
     * some other executor that is offered tasks has not failed it (with no such executor it may run there again rather
     * than never); or the host's shuffle service was just unreachable ({@link ClusterView#avoidsHost}).
     */
    private boolean avoids(int partition, String executorId, String host) {
        Set<String> failed = failedOn.get(partition);
        return (failed != null && failed.contains(executorId) && cluster.hasOfferableExecutorOutside(failed))
                || cluster.avoidsHost(host);
    }

    private boolean hasPendingIn(Deque<Integer> list) {
        while (!list.isEmpty()) {
            if (pending.contains(list.peekFirst())) {
                return true;
            }
            list.pollFirst();
        }
        return false;
    }

    private boolean hasPendingIn(Map<String, Deque<Integer>> index) {
        // Drop emptied keys so they stop counting towards the valid levels.
        index.values().removeIf(list -> !hasPendingIn(list));
        return !index.isEmpty();
    }

    // ---- locality levels ---------------------------------------------------------------------------

    /** The levels this task set could launch at given the live executors, best first; always ends with ANY. */
    private List<TaskLocality> computeLevels() {
        List<TaskLocality> out = new ArrayList<>();
        if (forExecutor.keySet().stream().anyMatch(cluster::isExecutorAlive)) {
            out.add(TaskLocality.PROCESS_LOCAL);
        }
        if (forHost.keySet().stream().anyMatch(cluster::hasExecutorsOnHost)) {
            out.add(TaskLocality.NODE_LOCAL);
        }
        if (!noPrefs.isEmpty()) {
            out.add(TaskLocality.NO_PREF);
        }
        if (forRack.keySet().stream().anyMatch(cluster::hasHostsOnRack)) {
            out.add(TaskLocality.RACK_LOCAL);
        }
        out.add(TaskLocality.ANY);
        return List.copyOf(out);
    }

    /**
     * Executors came or went: a level may have become reachable or unreachable. Keeps the current level (or
     * the next worse one still valid) so a task set does not start waiting all over again, except when a
     * better level became reachable for the first time: then it moves there and restarts the wait.
     *
     * <p>That exception departs from Spark, which keeps the old level and so schedules a stage submitted before
     * any executor arrived at ANY for good (Spark hides this behind waiting for most executors to register).
     * Here YARN executors trickle in, often requested near the data, and the first one on a preferred host
     * should get local tasks. It restarts the wait at most once per level.
     */
    void recomputeLocality() {
        TaskLocality previous = levels.get(currentLevel);
        List<TaskLocality> old = levels;
        levels = computeLevels();
        currentLevel = indexOf(previous);
        for (int i = 0; i < currentLevel; i++) {
            if (!old.contains(levels.get(i))) {
                currentLevel = i;
                lastLevelResetNanos = nanoClock.getAsLong();
                break;
            }
        }
    }

    List<TaskLocality> localityLevels() {
        return levels;
    }

    /** The index of the first valid level at or worse than {@code level}. */
    private int indexOf(TaskLocality level) {
        int i = 0;
        while (level.compareTo(levels.get(i)) > 0) {
            i++;
        }
        return i;
    }

    private boolean hasPendingAt(TaskLocality level) {
        return switch (level) {
            case PROCESS_LOCAL -> hasPendingIn(forExecutor);
            case NODE_LOCAL -> hasPendingIn(forHost);
            case NO_PREF -> hasPendingIn(noPrefs);
            case RACK_LOCAL -> hasPendingIn(forRack);
            case ANY -> hasPendingIn(all);
        };
    }

    /**
     * The worst level offers may launch at now: moves past levels with nothing left to launch, and past levels
     * whose wait expired since the last launch or relaxation. Each expired wait moves the reset time forward
     * by exactly that wait, so a long gap without offers relaxes several levels at once.
     */
    TaskLocality allowedLocality(long now) {
        while (currentLevel < levels.size() - 1) {
            TaskLocality level = levels.get(currentLevel);
            long wait = waits.nanos(level);
            if (!hasPendingAt(level)) {
                lastLevelResetNanos = now;
                currentLevel++;
            } else if (now - lastLevelResetNanos >= wait) {
                lastLevelResetNanos += wait;
                currentLevel++;
            } else {
                return level;
            }
        }
        return levels.get(currentLevel);
    }

    /**
     * When (on the manager's clock) its allowed level relaxes next if nothing launches, or
     * {@link Long#MAX_VALUE} when it already allows ANY or has nothing to launch.
     */
    long nextRelaxationNanos(long now) {
        if (!hasPending()) {
            return Long.MAX_VALUE;
        }
        TaskLocality allowed = allowedLocality(now);
        if (allowed == TaskLocality.ANY) {
            return Long.MAX_VALUE;
        }
        return lastLevelResetNanos + waits.nanos(allowed);
    }

    // ---- offers ------------------------------------------------------------------------------------

    /**
     * Picks a task for one free core of {@code executorId} on {@code host}, launching no worse than
     * {@code maxLocality} and no worse than delay scheduling allows; null when none fits. An offer at
     * {@link TaskLocality#NO_PREF} bypasses the delay (it only takes local or preference-less tasks) and
     * leaves the wait untouched.
     */
    Launch resourceOffer(String executorId, String host, TaskLocality maxLocality) {
        if (!hasPending()) {
            return null;
        }
        long now = nanoClock.getAsLong();
        TaskLocality allowed = maxLocality;
        if (maxLocality != TaskLocality.NO_PREF) {
            TaskLocality delayed = allowedLocality(now);
            if (delayed.compareTo(allowed) < 0) {
                allowed = delayed;
            }
        }
        Launch launch = dequeue(executorId, host, allowed);
        if (launch != null && maxLocality != TaskLocality.NO_PREF) {
            currentLevel = indexOf(launch.locality());
            lastLevelResetNanos = now;
        }
        if (launch == null && maxLocality == TaskLocality.ANY && !speculatable.isEmpty()) {
            // Copies only after every regular task had its chance at this offer; they leave the locality wait alone.
            launch = dequeueCopy(executorId, host);
        }
        return launch;
    }

    private Launch dequeue(String executorId, String host, TaskLocality allowed) {
        Integer p = take(forExecutor.get(executorId), executorId, host);
        if (p != null) {
            return launched(p, TaskLocality.PROCESS_LOCAL);
        }
        if (TaskLocality.NODE_LOCAL.isAllowedBy(allowed) && (p = take(forHost.get(host), executorId, host)) != null) {
            return launched(p, TaskLocality.NODE_LOCAL);
        }
        if (TaskLocality.NO_PREF.isAllowedBy(allowed) && (p = take(noPrefs, executorId, host)) != null) {
            return launched(p, TaskLocality.NO_PREF);
        }
        if (TaskLocality.RACK_LOCAL.isAllowedBy(allowed)) {
            String rack = topology.rackOf(host);
            if (rack != null && (p = take(forRack.get(rack), executorId, host)) != null) {
                return launched(p, TaskLocality.RACK_LOCAL);
            }
        }
        if (TaskLocality.ANY.isAllowedBy(allowed) && (p = take(all, executorId, host)) != null) {
            // A task without preferences taken from the list of all tasks still had nothing to be near.
            return launched(p, byPartition.get(p).preferences().isEmpty() ? TaskLocality.NO_PREF : TaskLocality.ANY);
        }
        return null;
    }

    private Launch launched(int partition, TaskLocality locality) {
        int attempt = launches.merge(partition, 1, Integer::sum) - 1;
        running++;
        return new Launch(partition, attempt, locality, false);
    }

    /** A slow partition's copy for {@code executorId} on {@code host}, where no attempt of it runs; null if none fits. */
    private Launch dequeueCopy(String executorId, String host) {
        for (Iterator<Integer> it = speculatable.iterator(); it.hasNext(); ) {
            int p = it.next();
            List<RunningAttempt> now = attempts.getOrDefault(p, List.of());
            if (succeeded.contains(p) || now.isEmpty()) {
                it.remove(); // it finished (or failed and waits as a regular task) meanwhile
                continue;
            }
            if (now.stream().anyMatch(a -> a.host().equals(host)) || avoids(p, executorId, host)) {
                continue;
            }
            it.remove();
            int attempt = launches.merge(p, 1, Integer::sum) - 1;
            running++;
            TaskLocality locality = byPartition.get(p).preferences().hosts().contains(host)
                    ? TaskLocality.NODE_LOCAL
                    : TaskLocality.ANY;
            return new Launch(p, attempt, locality, true);
        }
        return null;
    }

    // ---- speculation -------------------------------------------------------------------------------

    /**
     * Marks for a copy every partition whose only attempt has run longer than the policy's multiple of the stage's
     * median success (and its minimum), once the policy's quantile of partitions succeeded. Each partition is copied at
     * most once. Returns whether any was marked.
     */
    boolean findSpeculatable(long now) {
        if (!speculation.enabled() || zombie || successNanos.isEmpty()) {
            return false;
        }
        int needed = Math.max(1, (int) Math.floor(speculation.quantile() * byPartition.size()));
        if (succeeded.size() < needed) {
            return false;
        }
        long threshold =
                Math.max((long) (speculation.multiplier() * medianSuccessNanos()), speculation.minRuntimeNanos());
        boolean marked = false;
        for (Map.Entry<Integer, List<RunningAttempt>> e : attempts.entrySet()) {
            int p = e.getKey();
            List<RunningAttempt> running = e.getValue();
            if (running.size() == 1
                    && !succeeded.contains(p)
                    && !copied.contains(p)
                    && now - running.get(0).startNanos() > threshold) {
                copied.add(p);
                speculatable.add(p);
                marked = true;
            }
        }
        return marked;
    }

    private long medianSuccessNanos() {
        List<Long> sorted = new ArrayList<>(successNanos);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Partitions marked slow whose copy has not launched yet; for tests and diagnostics. */
    Collection<Integer> speculatablePartitions() {
        return List.copyOf(speculatable);
    }

    // ---- running attempts --------------------------------------------------------------------------

    void attemptLaunched(int partition, long taskId, String executorId, String host, long now) {
        attempts.computeIfAbsent(partition, k -> new ArrayList<>(1))
                .add(new RunningAttempt(taskId, executorId, host, now));
    }

    /** The attempt ended; returns it (with its start), or null when it was not running. */
    RunningAttempt attemptEnded(int partition, long taskId) {
        List<RunningAttempt> list = attempts.get(partition);
        if (list == null) {
            return null;
        }
        RunningAttempt ended = null;
        for (Iterator<RunningAttempt> it = list.iterator(); it.hasNext(); ) {
            RunningAttempt a = it.next();
            if (a.taskId() == taskId) {
                it.remove();
                ended = a;
            }
        }
        if (list.isEmpty()) {
            attempts.remove(partition);
        }
        return ended;
    }

    /** The attempts of {@code partition} still running. */
    List<RunningAttempt> runningAttempts(int partition) {
        return List.copyOf(attempts.getOrDefault(partition, List.of()));
    }

    // ---- attempts ----------------------------------------------------------------------------------

    boolean hasPending() {
        return !zombie && (!pending.isEmpty() || !speculatable.isEmpty());
    }

    int pendingCount() {
        return zombie ? 0 : pending.size();
    }

    /** Adds, per preferred host, the number of pending tasks that would like to run there. */
    void countPendingByHost(Map<String, Integer> into) {
        if (zombie) {
            return;
        }
        pendingByHost.forEach((h, n) -> into.merge(h, n, Integer::sum));
    }

    /** Pending tasks with at least one preferred host. */
    int pendingWithHostPreferences() {
        if (zombie) {
            return 0;
        }
        return pendingWithHosts;
    }

    TaskSet.TaskSpec spec(int partition) {
        return byPartition.get(partition);
    }

    /** Serializes the task for a new attempt of {@code partition}. */
    byte[] serializedTask(int partition) throws IOException {
        return byPartition.get(partition).task().serialize();
    }

    /**
     * Returns true when this is the first success for the partition; {@code durationNanos} (launch to end) then counts
     * towards the median that speculation compares running attempts with.
     */
    boolean succeeded(int partition, long durationNanos) {
        running--;
        speculatable.remove(partition);
        if (succeeded.add(partition)) {
            successNanos.add(durationNanos);
            return true;
        }
        return false;
    }

    /** Whether an attempt of {@code partition} already failed (counted) on an executor other than {@code executorId}. */
    boolean failedOnAnotherExecutor(int partition, String executorId) {
        Set<String> failed = failedOn.get(partition);
        return failed != null && failed.stream().anyMatch(e -> !e.equals(executorId));
    }

    /**
     * Records a failure on {@code executorId}; returns the failure count, and re-queues the partition unless it is
     * exhausted or another attempt of it still runs (a copy, which may yet succeed).
     */
    int failed(int partition, String executorId) {
        running--;
        failedOn.computeIfAbsent(partition, k -> new HashSet<>()).add(executorId);
        int n = failures.merge(partition, 1, Integer::sum);
        if (!zombie && n < maxAttempts && !succeeded.contains(partition) && !attempts.containsKey(partition)) {
            addPending(partition, false);
        }
        return n;
    }

    /** Records a failure that no retry would fix; returns the failure count and never re-queues. */
    int failedForGood(int partition) {
        running--;
        return failures.merge(partition, 1, Integer::sum);
    }

    /** An attempt that ended without its own fault (killed, executor lost): run it again first, uncounted. */
    void requeue(int partition) {
        running--;
        if (!zombie && !succeeded.contains(partition) && !attempts.containsKey(partition)) {
            addPending(partition, true);
        }
    }

    void makeZombie() {
        zombie = true;
        pending.clear();
        speculatable.clear();
        pendingByHost.clear();
        pendingWithHosts = 0;
    }

    boolean isZombie() {
        return zombie;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** Finished: every partition succeeded, or a zombie with nothing left running. */
    boolean isDone() {
        return (zombie && running == 0) || (succeeded.size() == byPartition.size() && running == 0);
    }

    /** Partitions waiting for a launch, in no particular order; for tests and diagnostics. */
    Collection<Integer> pendingPartitions() {
        return List.copyOf(pending);
    }
}
