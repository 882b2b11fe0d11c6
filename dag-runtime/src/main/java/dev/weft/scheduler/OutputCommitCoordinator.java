package dev.weft.scheduler;

import dev.weft.events.StageState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which attempt of a partition may commit its output: the first attempt to ask wins, every later one is
 * told to discard its own. Only an attempt the driver launched and still counts as running, asking from the
 * executor it was launched on, may be authorised: a zombie (an attempt of an executor already declared lost, or of
 * a task already ended) asks in vain, and so does an executor naming another's attempt. When the authorised
 * attempt ends without succeeding (its executor lost after the ask, a failure while committing), the partition is
 * open again for the next attempt. Once its stage succeeded, no attempt of it may commit.
 *
 * <p>It follows the scheduler's own events (launches, ends, stage ends), so it needs no call from the scheduler.
 * Thread-safe: events arrive on the scheduler thread, asks on the driver's RPC threads (or a task thread in the
 * driver's process).
 */
public final class OutputCommitCoordinator implements WeftListener {
    private static final Logger LOG = LoggerFactory.getLogger(OutputCommitCoordinator.class);

    private record Attempt(int stageId, int partition, String executorId) {}

    /** Attempts launched and not yet ended, by task id. */
    private final Map<Long, Attempt> running = new HashMap<>();
    /** The authorised task id per (stage, partition) of the stages not yet succeeded. */
    private final Map<Long, Long> authorised = new HashMap<>();

    /** What the driver answers an attempt that asks whether it may commit. */
    public enum Decision {
        /** This attempt commits; no other attempt of the partition will be allowed to while it runs. */
        GRANTED,
        /** Another attempt of the partition was authorised first. */
        DENIED_OTHER_ATTEMPT,
        /**
         * The driver does not count this attempt as running on that executor: it ended, its executor was declared
         * lost, it is another executor's, or its stage already succeeded.
         */
        DENIED_NOT_RUNNING;

        public boolean granted() {
            return this == GRANTED;
        }
    }

    /**
     * Whether attempt {@code taskId} of {@code partition} of {@code stageId}, asking from {@code executorId}, may
     * commit its output.
     */
    public synchronized Decision canCommit(String executorId, int stageId, int partition, long taskId) {
        Objects.requireNonNull(executorId, "executorId is null");
        Attempt a = running.get(taskId);
        Decision d;
        if (a == null || !a.equals(new Attempt(stageId, partition, executorId))) {
            d = Decision.DENIED_NOT_RUNNING;
        } else {
            Long holder = authorised.putIfAbsent(key(stageId, partition), taskId);
            d = holder == null || holder == taskId ? Decision.GRANTED : Decision.DENIED_OTHER_ATTEMPT;
        }
        if (d != Decision.GRANTED) {
            LOG.info(
                    "task {} (stage {} partition {}) on {} may not commit: {}",
                    taskId,
                    stageId,
                    partition,
                    executorId,
                    d);
        }
        return d;
    }

    @Override
    public synchronized void onEvent(WeftEvent event) {
        if (event instanceof WeftEvent.TaskStateChanged t) {
            if (t.from() == null && t.to() == TaskState.RUNNING) {
                running.put(t.taskId(), new Attempt(t.stageId(), t.partition(), t.executorId()));
            } else if (t.to() != null && t.to().isTerminal()) {
                running.remove(t.taskId());
                if (t.to() != TaskState.SUCCEEDED) {
                    // The authorised attempt failed (or was lost) after asking: let the next attempt commit.
                    authorised.remove(key(t.stageId(), t.partition()), t.taskId());
                }
            }
        } else if (event instanceof WeftEvent.StageStateChanged s && s.to() == StageState.SUCCEEDED) {
            // Every partition of the stage has its result: no attempt of it commits any more.
            running.values().removeIf(a -> a.stageId() == s.stageId());
            authorised.keySet().removeIf(k -> (int) (k >>> 32) == s.stageId());
        }
    }

    /** Attempts currently authorised (for tests and the status page). */
    synchronized int authorisedCount() {
        return authorised.size();
    }

    private static long key(int stageId, int partition) {
        return ((long) stageId << 32) | (partition & 0xffffffffL);
    }
}
