package dev.weft.events;

/**
 * How close a task attempt ran to its input, best first. The scheduler launches a task at the best level
 * an executor offers and relaxes a stage's allowed level only after it waited {@code weft.locality.wait}
 * without launching (delay scheduling).
 *
 * <p>Lives with the events rather than the scheduler because {@link WeftEvent.TaskStateChanged} reports it
 * and the event vocabulary must not depend on the scheduler.
 */
public enum TaskLocality {
    /** The executor holds the partition in its cache. */
    PROCESS_LOCAL,
    /** The executor's host is one of the hosts holding the split's input. */
    NODE_LOCAL,
    /**
     * The task has no preference, so any executor is as good as any other. Kept apart from {@link #ANY} (as in
     * Spark) so that "ran far from its data" is never confused with "had no data to be near".
     */
    NO_PREF,
    /** The executor's host is on the same rack as one of the preferred hosts. */
    RACK_LOCAL,
    /** Anywhere: the task had preferences but waited long enough to give them up. */
    ANY;

    /** True when a task launched at this level would also be acceptable under {@code allowed}. */
    public boolean isAllowedBy(TaskLocality allowed) {
        return compareTo(allowed) <= 0;
    }
}
