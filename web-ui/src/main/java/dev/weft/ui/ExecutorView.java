package dev.weft.ui;

import dev.weft.events.ExecutorState;

/**
 * One executor: {@code removeTime} is 0 while it is registered; {@code error} why it was lost, null if it was not;
 * {@code logUrl} its container's logs on its NodeManager, null when unknown.
 */
public record ExecutorView(
        String executorId,
        String host,
        ExecutorState state,
        long addTime,
        long removeTime,
        String error,
        String reason,
        int activeTasks,
        int completedTasks,
        int failedTasks,
        Counters counters,
        String logUrl) {}
