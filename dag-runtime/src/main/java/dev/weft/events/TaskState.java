package dev.weft.events;

import java.util.EnumSet;
import java.util.Set;

/** Lifecycle of one task attempt. */
public enum TaskState {
    RUNNING,
    SUCCEEDED,
    FAILED,
    FETCH_FAILED,
    KILLED,
    LOST;

    public Set<TaskState> next() {
        return this == RUNNING
                ? EnumSet.of(SUCCEEDED, FAILED, FETCH_FAILED, KILLED, LOST)
                : EnumSet.noneOf(TaskState.class);
    }

    public boolean isTerminal() {
        return this != RUNNING;
    }
}
