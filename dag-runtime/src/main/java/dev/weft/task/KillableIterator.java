package dev.weft.task;

import dev.weft.exec.TaskContext;
import java.util.Iterator;

/** Stops a task soon after it was killed, by checking the flag every few thousand records. */
final class KillableIterator<T> implements Iterator<T> {
    private final Iterator<T> delegate;
    private final TaskContext ctx;
    private int sinceCheck;

    KillableIterator(Iterator<T> delegate, TaskContext ctx) {
        this.delegate = delegate;
        this.ctx = ctx;
    }

    @Override
    public boolean hasNext() {
        if (++sinceCheck >= 4096) {
            sinceCheck = 0;
            if (ctx.isKilled()) {
                throw new TaskKilledException("task " + ctx.taskAttemptId() + " was killed");
            }
        }
        return delegate.hasNext();
    }

    @Override
    public T next() {
        T v = delegate.next();
        ctx.metrics().outputRecords++;
        return v;
    }
}
