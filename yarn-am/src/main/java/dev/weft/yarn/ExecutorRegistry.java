package dev.weft.yarn;

import dev.weft.error.WeftError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;

/**
 * The bookkeeping of executors: which container and NodeManager host each live executor has, which
 * executors are served by their node's shuffle service, which executor runs each task, why a lost
 * container ended ({@link ExitStatuses}), and the failure budget that decides whether a lost executor is
 * replaced.
 *
 * <p>Failure budget: after more than {@value #MAX_EXECUTOR_FAILURES_FACTOR} × instances executor failures
 * {@link #replaceAfterFailure()} says no and the backend stops asking for containers. Known gap, kept as
 * it was: nothing then fails the job, which waits for executors that never come (another issue fixes it;
 * this method is the one place to change).
 *
 * <p>Threading: the allocator thread adds and removes executors, the launcher pool records shuffle service
 * ports, the scheduler thread and Netty threads read; the maps are concurrent and the failure count is
 * atomic.
 */
final class ExecutorRegistry {
    static final int MAX_EXECUTOR_FAILURES_FACTOR = 3;

    /** A container that ended while it ran an executor. */
    record Lost(String executorId, WeftError error, String reason) {
        Lost {
            Objects.requireNonNull(executorId, "executorId is null");
            Objects.requireNonNull(error, "error is null");
            Objects.requireNonNull(reason, "reason is null");
        }
    }

    private final int instances;
    private final AtomicInteger nextExecutor = new AtomicInteger(1);
    private final AtomicInteger failures = new AtomicInteger();
    private final Map<ContainerId, String> executorOfContainer = new ConcurrentHashMap<>();
    private final Map<String, ContainerId> containerOfExecutor = new ConcurrentHashMap<>();
    private final Map<Long, String> executorOfTask = new ConcurrentHashMap<>();
    /** NodeManager host of each executor's container ({@code NodeId} host): the name it registers under. */
    private final Map<String, String> hostOfExecutor = new ConcurrentHashMap<>();
    /**
     * Port of the NodeManager shuffle service on each executor's node, from the container start response.
     * Kept after the executor is lost: its map output stays servable by the node's service.
     */
    private final Map<String, Integer> shuffleServicePort = new ConcurrentHashMap<>();

    ExecutorRegistry(int instances) {
        if (instances <= 0) {
            throw new IllegalArgumentException("instances must be positive: " + instances);
        }
        this.instances = instances;
    }

    /** Names the executor that will run in {@code container} on NodeManager host {@code nodeHost}. */
    String add(ContainerId container, String nodeHost) {
        String execId = "exec-" + nextExecutor.getAndIncrement();
        executorOfContainer.put(container, execId);
        containerOfExecutor.put(execId, container);
        hostOfExecutor.put(execId, nodeHost);
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
        containerOfExecutor.remove(execId);
        hostOfExecutor.remove(execId);
        return new Lost(execId, ExitStatuses.error(status.getExitStatus()), ExitStatuses.describe(status));
    }

    /**
     * Counts one executor failure and says whether a replacement may be requested: yes until the failures
     * exceed {@value #MAX_EXECUTOR_FAILURES_FACTOR} × instances (see the class comment for what happens then).
     */
    boolean replaceAfterFailure() {
        return failures.incrementAndGet() <= instances * MAX_EXECUTOR_FAILURES_FACTOR;
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
    }

    /** The executor running a task; null once it ended or when unknown. */
    String executorOfTask(long taskId) {
        return executorOfTask.get(taskId);
    }

    void taskEnded(long taskId) {
        executorOfTask.remove(taskId);
    }
}
