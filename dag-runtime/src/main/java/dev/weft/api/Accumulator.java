package dev.weft.api;

import dev.weft.exec.AccumulatorHandle;
import dev.weft.exec.TaskContext;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A value that tasks add to and the driver reads. Each task attempt adds to its own zeroed copy (the copy
 * that arrives inside the task); the copy's value travels back with the task's result and the driver
 * merges it only for the first successful attempt of each partition, so retried attempts never count
 * twice. A stage that is re-run because its output was lost does count again.
 *
 * <p>Threading: the driver's instance is thread-safe; task copies belong to their task's thread.
 *
 * @param <IN>  what {@link #add} takes
 * @param <OUT> what {@link #value()} returns
 */
public abstract class Accumulator<IN, OUT> implements AccumulatorHandle, Serializable {
    private final long id;
    private final String name;
    private transient boolean taskCopy;

    protected Accumulator(long id, String name) {
        this.id = id;
        this.name = name == null ? "accumulator-" + id : name;
    }

    @Override
    public final long id() {
        return id;
    }

    public final String name() {
        return name;
    }

    /** Adds on the driver directly, or to the current task's copy inside a task. */
    public final void add(IN v) {
        if (!taskCopy) {
            synchronized (this) {
                addLocal(v);
            }
            return;
        }
        TaskContext ctx = TaskContext.get();
        @SuppressWarnings("unchecked")
        Accumulator<IN, OUT> registered = ctx == null ? null : (Accumulator<IN, OUT>) ctx.accumulator(id);
        (registered != null ? registered : this).addLocal(v);
    }

    /** The merged value: on the driver, everything successful tasks (and the driver) added. */
    public final synchronized OUT value() {
        return currentValue();
    }

    /** Engine use: merges a task's reported value into the driver's instance. */
    @Override
    public final synchronized void merge(Object taskValue) {
        mergeValue(taskValue);
    }

    /** Engine use: this copy's value, as reported with the task's result. */
    @Override
    public final Object taskValue() {
        return snapshot();
    }

    protected abstract void addLocal(IN v);

    protected abstract OUT currentValue();

    protected abstract Object snapshot();

    protected abstract void mergeValue(Object taskValue);

    protected abstract void reset();

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        taskCopy = true;
        reset();
        TaskContext ctx = TaskContext.get();
        if (ctx != null) {
            ctx.registerAccumulator(this);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
