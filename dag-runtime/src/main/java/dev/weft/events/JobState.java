package dev.weft.events;

import java.util.EnumSet;
import java.util.Set;

/** Lifecycle of a job (one action). */
public enum JobState {
    RUNNING,
    SUCCEEDED,
    FAILED;

    /** The states this one may move to. */
    public Set<JobState> next() {
        return this == RUNNING ? EnumSet.of(SUCCEEDED, FAILED) : EnumSet.noneOf(JobState.class);
    }
}
