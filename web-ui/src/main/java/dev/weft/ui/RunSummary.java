package dev.weft.ui;

import java.util.Locale;

/**
 * The one-line summary of an application the driver leaves in its diagnostics (the RM keeps them after the
 * application ends) and the client prints: wall time, jobs, stage attempts and tasks run, and the main counters.
 *
 * <p>Stateless and thread-safe.
 */
public final class RunSummary {
    /** Starts the summary line among the diagnostics, so the client can find it. */
    public static final String PREFIX = "weft summary: ";

    private RunSummary() {}

    public static String line(StatusStore store, long nowMillis) {
        AppSummary app = store.summary();
        int stages = 0;
        int tasks = 0;
        int failed = 0;
        for (StageView s : store.stages()) {
            if (s.submissionTime() > 0) {
                stages++;
                tasks += s.succeededTasks() + s.failedTasks() + s.killedTasks();
                failed += s.failedTasks();
            }
        }
        Counters c = app.counters();
        long wall = (app.endTime() > 0 ? app.endTime() : nowMillis) - app.startTime();
        return PREFIX
                + String.format(
                        Locale.ROOT,
                        "wall %.1f s, %d jobs, %d stages, %d tasks (%d failed); input %s, shuffle written %s, shuffle"
                                + " read %s (%s remote), output %s, spilled %s",
                        wall / 1000.0,
                        app.jobs(),
                        stages,
                        tasks,
                        failed,
                        Html.bytes(c.inputBytes()),
                        Html.bytes(c.shuffleBytesWritten()),
                        Html.bytes(c.shuffleBytesRead()),
                        Html.bytes(c.shuffleBytesReadRemote()),
                        Html.bytes(c.outputBytes()),
                        Html.bytes(c.spillBytes()));
    }
}
