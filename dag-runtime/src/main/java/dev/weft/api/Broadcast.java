package dev.weft.api;

import dev.weft.exec.TaskContext;
import java.io.Serializable;

/**
 * A read-only value shipped to each executor once (as bytes), not once per task. Capture the handle in a
 * closure and call {@link #value()} inside the task.
 *
 * <p>Thread-safe.
 */
public final class Broadcast<T> implements Serializable {
    private final long id;
    private final transient T driverValue;
    private transient volatile boolean destroyed;

    public Broadcast(long id, T driverValue) {
        this.id = id;
        this.driverValue = driverValue;
    }

    public long id() {
        return id;
    }

    @SuppressWarnings("unchecked")
    public T value() {
        if (destroyed) {
            throw new IllegalStateException("broadcast " + id + " was destroyed");
        }
        TaskContext ctx = TaskContext.get();
        if (ctx == null) {
            if (driverValue == null) {
                throw new IllegalStateException(
                        "broadcast " + id + " read outside a task on a process that is not the driver");
            }
            return driverValue;
        }
        return (T) ctx.env().broadcasts().value(id);
    }

    /** Driver side: marks the handle unusable; the context drops the bytes. */
    void markDestroyed() {
        destroyed = true;
    }

    @Override
    public String toString() {
        return "Broadcast(" + id + ")";
    }
}
