package dev.weft.yarn;

import dev.weft.error.WeftError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.NodeId;

/**
 * The bookkeeping of executors: which container and NodeManager host each live executor has, which
 * executors are served by their node's shuffle service, which executor runs each task, why a lost
 * container ended ({@link ExitStatuses}), and the failure budget that decides whether a lost executor is
 * replaced.
 *
 * <p>Failure budget: after more than {@value #MAX_EXECUTOR_FAILURES_FACTOR} × instances executor failures
 * {@link #replaceAfterLoss} says no and the backend stops asking for containers. A container YARN preempted,
 * or one the backend gave back itself, is no failure and never spends the budget. Known gap, kept as it was:
 * nothing then fails the job, which waits for executors that never come (another issue fixes it; this method
 * is the one place to change).
 *
 * <p>Load: which tasks each executor runs, when its latest task started and since when it has been idle, so the
 * backend can choose whom to give back when YARN asks for containers ({@link PreemptionPlanner}) or when an
 * executor sat idle too long.
 *
 * <p>Threading: the allocator thread adds and removes executors, the launcher pool records shuffle service
 * ports, the scheduler thread records task launches, Netty threads record task ends and read; the maps are
 * concurrent and the failure count is atomic. A task's end racing its executor's removal is harmless: the
 * activity updates only touch executors still present.
 */
final class ExecutorRegistry {
    static final int MAX_EXECUTOR_FAILURES_FACTOR = 3;

    /** A container that ended while it ran an executor. */
    record Lost(String executorId, ContainerId container, WeftError error, String reason) {
        Lost {
            Objects.requireNonNull(executorId, "executorId is null");
            Objects.requireNonNull(container, "container is null");
            Objects.requireNonNull(error, "error is null");
            Objects.requireNonNull(reason, "reason is null");
        }
    }

    private final int instances;
    private final Ticker ticker;
    private final AtomicInteger nextExecutor = new AtomicInteger(1);
    private final AtomicInteger failures = new AtomicInteger();
    private final Map<ContainerId, String> executorOfContainer = new ConcurrentHashMap<>();
    private final Map<String, ContainerId> containerOfExecutor = new ConcurrentHashMap<>();
    private final Map<Long, String> executorOfTask = new ConcurrentHashMap<>();
    /**
     * What each live executor is doing; absent once it is gone. Replaced whole with {@code compute}, so a task's
     * launch and another's end on one executor never interleave.
     */
    private final Map<String, Activity> activity = new ConcurrentHashMap<>();
    /** Executors whose containers the ResourceManager marked for preemption: a loss of one is a preemption. */
    private final Set<String> preemptionAsked = ConcurrentHashMap.newKeySet();
    /** Executors the backend gave back (preemption or idleness): their later loss reports are expected. */
    private final Set<String> givenBack = ConcurrentHashMap.newKeySet();
    /** NodeManager host of each executor's container ({@code NodeId} host): the name it registers under. */
    private final Map<String, String> hostOfExecutor = new ConcurrentHashMap<>();
    /** NodeManager of each live executor's container ({@code NodeId}, host:port: hosts may run several). */
    private final Map<String, String> nodeOfExecutor = new ConcurrentHashMap<>();
    /**
     * Port of the NodeManager shuffle service on each executor's node, from the container start response.
     * Kept after the executor is lost: its map output stays servable by the node's service.
     */
    private final Map<String, Integer> shuffleServicePort = new ConcurrentHashMap<>();

    ExecutorRegistry(int instances, Ticker ticker) {
        if (instances <= 0) {
            throw new IllegalArgumentException("instances must be positive: " + instances);
        }
        this.instances = instances;
        this.ticker = Objects.requireNonNull(ticker, "ticker is null");
    }

    /** Names the executor that will run in {@code container} on NodeManager {@code node}. */
    String add(ContainerId container, NodeId node) {
        String execId = "exec-" + nextExecutor.getAndIncrement();
        executorOfContainer.put(container, execId);
        containerOfExecutor.put(execId, container);
        hostOfExecutor.put(execId, node.getHost());
        nodeOfExecutor.put(execId, node.toString());
        long now = ticker.nanoTime();
        activity.put(execId, new Activity(0, now, now));
        return execId;
    }

    /**
     * Forgets the executor of a completed container and says why it ended; null when the container ran
     * no executor this registry knows (released, or already completed).
     */
    Lost completed(ContainerStatus status) {
        String execId = executorOfContainer.remove(status.getContainerId());
        if (execId == null) {
            return null;
        }
        forget(execId);
        WeftError error = preemptionAsked.remove(execId) ? WeftError.EXECUTOR_PREEMPTED : ExitStatuses.error(status);
        return new Lost(execId, status.getContainerId(), error, ExitStatuses.describe(status));
    }

    /**
     * Forgets a live executor the backend is giving back (its container is about to be released) and returns
     * the loss to report, with {@code error} as its code; null when the executor is not live.
     */
    Lost giveBack(String execId, WeftError error, String reason) {
        ContainerId container = containerOfExecutor.get(execId);
        if (container == null || executorOfContainer.remove(container) == null) {
            return null;
        }
        givenBack.add(execId);
        preemptionAsked.remove(execId);
        forget(execId);
        return new Lost(execId, container, error, reason);
    }

    private void forget(String execId) {
        containerOfExecutor.remove(execId);
        hostOfExecutor.remove(execId);
        nodeOfExecutor.remove(execId);
        activity.remove(execId);
    }

    /** The NodeManager ({@code NodeId} as host:port) of a live executor; null when it is not live. */
    String node(String execId) {
        return nodeOfExecutor.get(execId);
    }

    /** The container of a live executor; null when it is not live. */
    ContainerId containerOf(String execId) {
        return containerOfExecutor.get(execId);
    }

    /** Whether the backend gave this executor back itself, so a later report of its loss is no news. */
    boolean wasGivenBack(String execId) {
        return givenBack.contains(execId);
    }

    /**
     * Records that the ResourceManager marked these containers for preemption; returns their live executors.
     * Containers of no live executor (already gone, or never ours) are ignored.
     */
    Set<String> preemptionRequested(Collection<ContainerId> containers) {
        Set<String> marked = new HashSet<>();
        for (ContainerId c : containers) {
            String execId = executorOfContainer.get(c);
            if (execId != null) {
                preemptionAsked.add(execId);
                marked.add(execId);
            }
        }
        return marked;
    }

    /** Whether the ResourceManager marked this executor's container for preemption. */
    boolean preemptionRequested(String execId) {
        return preemptionAsked.contains(execId);
    }

    /**
     * Says whether a lost executor may be replaced, counting it against the failure budget unless YARN took it
     * (preemption): yes until the failures exceed {@value #MAX_EXECUTOR_FAILURES_FACTOR} × instances (see the
     * class comment for what happens then).
     */
    boolean replaceAfterLoss(Lost lost) {
        if (lost.error() == WeftError.EXECUTOR_PREEMPTED) {
            return failures.get() <= instances * MAX_EXECUTOR_FAILURES_FACTOR;
        }
        return failures.incrementAndGet() <= instances * MAX_EXECUTOR_FAILURES_FACTOR;
    }

    /** Whether the failure budget still allows asking for containers. */
    boolean mayRequest() {
        return failures.get() <= instances * MAX_EXECUTOR_FAILURES_FACTOR;
    }

    /** What each live executor is doing, for choosing whom to give back. */
    List<PreemptionPlanner.Load> loads() {
        List<PreemptionPlanner.Load> out = new ArrayList<>();
        for (Map.Entry<String, ContainerId> e : containerOfExecutor.entrySet()) {
            Activity a = activity.get(e.getKey());
            String node = nodeOfExecutor.get(e.getKey());
            if (a != null && node != null) {
                out.add(new PreemptionPlanner.Load(
                        e.getKey(), e.getValue(), node, a.runningTasks(), a.lastTaskStart(), a.idleSince()));
            }
        }
        return out;
    }

    int failures() {
        return failures.get();
    }

    /** Executors whose containers have not completed (including ones still starting). */
    int liveCount() {
        return executorOfContainer.size();
    }

    List<String> liveExecutors() {
        return new ArrayList<>(containerOfExecutor.keySet());
    }

    /** The NodeManager host of a live executor's container; null when unknown. */
    String nodeHost(String executorId) {
        return hostOfExecutor.get(executorId);
    }

    void shuffleServiceStarted(String executorId, int port) {
        shuffleServicePort.put(executorId, port);
    }

    /** The node's shuffle service port for an executor's map output; null when the executor serves it itself. */
    Integer shuffleServicePort(String executorId) {
        return shuffleServicePort.get(executorId);
    }

    /** Whether an executor's map output is lost with it (no shuffle service serves it). */
    boolean outputLostWith(String executorId) {
        return !shuffleServicePort.containsKey(executorId);
    }

    void taskLaunched(long taskId, String executorId) {
        executorOfTask.put(taskId, executorId);
        long now = ticker.nanoTime();
        activity.computeIfPresent(executorId, (k, a) -> new Activity(a.runningTasks() + 1, now, null));
    }

    /** The executor running a task; null once it ended or when unknown. */
    String executorOfTask(long taskId) {
        return executorOfTask.get(taskId);
    }

    void taskEnded(long taskId) {
        String executorId = executorOfTask.remove(taskId);
        if (executorId != null) {
            long now = ticker.nanoTime();
            activity.computeIfPresent(executorId, (k, a) -> {
                int left = Math.max(0, a.runningTasks() - 1);
                return new Activity(left, a.lastTaskStart(), left == 0 ? Long.valueOf(now) : a.idleSince());
            });
        }
    }

    /**
     * One executor's tasks: how many run, when the latest started ({@link Ticker} nanos; when it was added while
     * it ran none), and since when it has run none (null while it runs some).
     */
    private record Activity(int runningTasks, long lastTaskStart, Long idleSince) {}
}
