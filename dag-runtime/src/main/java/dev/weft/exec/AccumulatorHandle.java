package dev.weft.exec;

/**
 * What the engine needs of a user accumulator: the task side reports a copy's value, the driver side merges
 * reported values. The user API's {@code Accumulator} is the implementation users see; the engine holds only
 * this contract so that it does not depend on the user API above it.
 *
 * <p>Threading: as the implementation states (the driver's instance is thread-safe; task copies belong to
 * their task's thread).
 */
public interface AccumulatorHandle {
    /** Unique within the application; keys the values a task reports. */
    long id();

    /** Task side: this copy's value, reported with the task's result. */
    Object taskValue();

    /** Driver side: merges a value a task reported into this instance. */
    void merge(Object taskValue);
}
