package dev.weft.id;

import java.io.Serializable;

/**
 * One attempt to run a task, unique across the application (the driver hands them out from 0); it names
 * the attempt's shuffle files and every launch, kill and status report. Prints as {@code attempt-17}.
 */
public record TaskAttemptId(long value) implements Serializable {
    public TaskAttemptId {
        if (value < 0) {
            throw new IllegalArgumentException("task attempt id must be >= 0: " + value);
        }
    }

    @Override
    public String toString() {
        return "attempt-" + value;
    }
}
