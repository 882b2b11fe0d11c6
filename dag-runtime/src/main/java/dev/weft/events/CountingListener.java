package dev.weft.events;

import dev.weft.error.WeftError;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts executor and task transitions into {@link JobCounters}. Events arrive on the scheduler thread;
 * {@link #snapshot()} may be called from any thread (the counts are atomic, a snapshot is not a consistent cut
 * across counters while events still arrive).
 */
public final class CountingListener implements WeftListener {
    private static final int LAUNCHED = 0;
    private static final int SUCCEEDED = 1;
    private static final int FAILED = 2;
    private static final int KILLED = 3;
    private static final int LOST = 4;
    private static final int PREEMPTED = 5;
    private static final int EXEC_REGISTERED = 6;
    private static final int EXEC_LOST = 7;
    private static final int EXEC_PREEMPTED = 8;

    private final AtomicLongArray counts = new AtomicLongArray(9);

    @Override
    public void onEvent(WeftEvent event) {
        if (event instanceof WeftEvent.TaskStateChanged t) {
            switch (t.to()) {
                case RUNNING -> counts.incrementAndGet(LAUNCHED);
                case SUCCEEDED -> counts.incrementAndGet(SUCCEEDED);
                case FAILED, FETCH_FAILED -> counts.incrementAndGet(FAILED);
                case KILLED -> counts.incrementAndGet(KILLED);
                case LOST -> {
                    if (t.error() == WeftError.EXECUTOR_PREEMPTED) {
                        counts.incrementAndGet(PREEMPTED);
                    }
                    counts.incrementAndGet(LOST);
                }
            }
        } else if (event instanceof WeftEvent.ExecutorStateChanged e) {
            if (e.to() == ExecutorState.RUNNING) {
                counts.incrementAndGet(EXEC_REGISTERED);
            } else if (e.to() == ExecutorState.LOST) {
                if (e.error() == WeftError.EXECUTOR_PREEMPTED) {
                    counts.incrementAndGet(EXEC_PREEMPTED);
                }
                counts.incrementAndGet(EXEC_LOST);
            }
        }
    }

    public JobCounters snapshot() {
        // Clamped: an event counted between the two reads must not break the record's invariant.
        long lost = counts.get(LOST);
        long preempted = Math.min(counts.get(PREEMPTED), lost);
        long execLost = counts.get(EXEC_LOST);
        long execPreempted = Math.min(counts.get(EXEC_PREEMPTED), execLost);
        return new JobCounters(
                counts.get(LAUNCHED),
                counts.get(SUCCEEDED),
                counts.get(FAILED),
                counts.get(KILLED),
                lost,
                preempted,
                counts.get(EXEC_REGISTERED),
                execLost,
                execPreempted);
    }
}
