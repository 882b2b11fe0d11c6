package dev.weft.ui;

import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;

/** One task attempt: {@code endTime} is 0 while it runs; {@code error} is the WeftError's name, null if none. */
public record TaskView(
        long taskId,
        int partition,
        int attempt,
        String executorId,
        String host,
        TaskState state,
        TaskLocality locality,
        long launchTime,
        long endTime,
        String reason,
        String error,
        Counters counters) {

    public long durationMillis(long now) {
        return (endTime == 0 ? now : endTime) - launchTime;
    }
}
