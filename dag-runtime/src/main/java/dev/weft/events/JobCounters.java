package dev.weft.events;

/**
 * What happened to a context's executors and task attempts so far, counted from its events: the figures an
 * operator asks for after a run ("were we preempted? how many attempts were wasted?"). An immutable snapshot
 * from {@link CountingListener#snapshot()}.
 *
 * @param tasksFailed     attempts that ended FAILED or FETCH_FAILED (the ones that may count against a task)
 * @param tasksLost       attempts that ended with their executor (LOST), whatever the reason, preemption included
 * @param tasksPreempted  of {@code tasksLost}, those whose executor YARN took back; re-run without counting
 * @param executorsLost   executors lost for any reason, preemption and idle release included
 * @param executorsPreempted of {@code executorsLost}, those YARN took back (preemption)
 */
public record JobCounters(
        long tasksLaunched,
        long tasksSucceeded,
        long tasksFailed,
        long tasksKilled,
        long tasksLost,
        long tasksPreempted,
        long executorsRegistered,
        long executorsLost,
        long executorsPreempted) {

    public JobCounters {
        long[] all = {
            tasksLaunched,
            tasksSucceeded,
            tasksFailed,
            tasksKilled,
            tasksLost,
            tasksPreempted,
            executorsRegistered,
            executorsLost,
            executorsPreempted
        };
        for (long v : all) {
            if (v < 0) {
                throw new IllegalArgumentException("counters cannot be negative: " + v);
            }
        }
        if (tasksPreempted > tasksLost || executorsPreempted > executorsLost) {
            throw new IllegalArgumentException("preempted counts are part of the lost counts");
        }
    }

    /** One line for a log: {@code key=value} pairs in a fixed order. */
    @Override
    public String toString() {
        return "tasks launched=" + tasksLaunched + " succeeded=" + tasksSucceeded + " failed=" + tasksFailed
                + " killed=" + tasksKilled + " lost=" + tasksLost + " preempted=" + tasksPreempted
                + "; executors registered=" + executorsRegistered + " lost=" + executorsLost + " preempted="
                + executorsPreempted;
    }
}
