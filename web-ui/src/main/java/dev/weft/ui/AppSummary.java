package dev.weft.ui;

/**
 * The application a UI shows: {@code state} is RUNNING until the driver ends it (SUCCEEDED, FAILED or KILLED), or
 * INCOMPLETE for an event log whose driver never said how it ended; {@code endTime} is 0 while it runs.
 */
public record AppSummary(
        String appId,
        String name,
        String user,
        int attempt,
        String state,
        long startTime,
        long endTime,
        float progress,
        int jobs,
        int activeStages,
        int activeExecutors,
        Counters counters) {}
