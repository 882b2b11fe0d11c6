package dev.weft.ui;

import static dev.weft.ui.Html.bytes;
import static dev.weft.ui.Html.esc;
import static dev.weft.ui.Html.millis;
import static dev.weft.ui.Html.time;

import dev.weft.events.JobState;
import dev.weft.events.StageState;
import dev.weft.events.TaskLocality;
import dev.weft.events.WeftEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTML pages. Every link is relative to the application's root (all pages live at one level), so they work
 * behind the ResourceManager's proxy ({@code /proxy/<appId>/}) and under the history server's
 * {@code /history/<appId>/} alike.
 *
 * <p>Stateless and thread-safe; reads only immutable views.
 */
final class UiPages {
    private static final String STYLE = "body{font-family:sans-serif;margin:0 1.5em 2em;color:#222}"
            + "nav{background:#263238;margin:0 -1.5em 1em;padding:.6em 1.5em}nav a{color:#fff;margin-right:1.2em;"
            + "text-decoration:none}nav .app{color:#b0bec5;float:right}table{border-collapse:collapse;margin:.5em 0 1.5em}"
            + "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-size:13px}th{background:#eceff1}"
            + "td.num{text-align:right}.state-running{color:#1565c0}.state-succeeded{color:#2e7d32}"
            + ".state-failed,.state-aborted{color:#c62828}pre{white-space:pre-wrap;font-size:12px}";

    private UiPages() {}

    static String jobs(AppSummary app, List<JobView> jobs) {
        StringBuilder sb = open(app, "Jobs");
        summary(sb, app);
        sb.append("<h2>Jobs</h2><table id=\"jobs\"><tr><th>Job</th><th>Call site</th><th>State</th>"
                + "<th>Submitted</th><th>Duration</th><th>Stages run</th><th>Tasks (succeeded/total)</th>"
                + "<th>Failed tasks</th></tr>");
        long now = System.currentTimeMillis();
        for (JobView j : jobs) {
            row(
                    sb,
                    Cell.link("job?id=" + j.jobId(), String.valueOf(j.jobId())),
                    Cell.text(j.callSite()),
                    Cell.state(j.state().name()),
                    Cell.text(time(j.submissionTime())),
                    Cell.num(millis((j.completionTime() == 0 ? now : j.completionTime()) - j.submissionTime())),
                    Cell.num(j.stageIdsRun().size()),
                    Cell.num(j.succeededTasks() + "/" + j.numTasks()),
                    Cell.num(j.failedTasks()));
        }
        return close(sb.append("</table>"));
    }

    static String job(AppSummary app, JobView j, List<StageView> stages) {
        StringBuilder sb = open(app, "Job " + j.jobId());
        sb.append("<h2>Job ")
                .append(j.jobId())
                .append(": ")
                .append(esc(j.callSite()))
                .append("</h2><p>State: <span class=\"state-")
                .append(j.state().name().toLowerCase(java.util.Locale.ROOT))
                .append("\">")
                .append(j.state())
                .append("</span>");
        if (j.failureReason() != null) {
            sb.append("</p><pre>").append(esc(j.failureReason())).append("</pre><p>");
        }
        sb.append(" &middot; submitted ").append(time(j.submissionTime())).append("</p>");
        sb.append("<h3>Stage graph</h3>").append(DagSvg.render(j.plan(), stageStates(j, stages)));
        sb.append("<h3>Stages</h3>");
        stageTable(
                sb, stages.stream().filter(s -> s.jobIds().contains(j.jobId())).toList());
        counterTable(sb, "Counters (succeeded attempts)", j.counters());
        return close(sb);
    }

    /** Each planned stage's state as this job saw it: a stage that never ran for it is SKIPPED once it ended. */
    static Map<Integer, String> stageStates(JobView j, List<StageView> stages) {
        Map<Integer, String> states = new HashMap<>();
        for (StageView s : stages) {
            if (j.stageIdsRun().contains(s.stageId()) && s.state() != null) {
                states.put(s.stageId(), s.state().name()); // attempts come oldest first: the latest wins
            }
        }
        for (WeftEvent.PlannedStage p : j.plan()) {
            states.putIfAbsent(p.stageId(), j.state() == JobState.RUNNING ? "PENDING" : "SKIPPED");
        }
        return states;
    }

    static String stages(AppSummary app, List<StageView> stages) {
        StringBuilder sb = open(app, "Stages");
        sb.append("<h2>Stages</h2>");
        stageTable(sb, stages);
        return close(sb);
    }

    static String stage(AppSummary app, StageView s, List<StageView> attempts) {
        StringBuilder sb = open(app, "Stage " + s.stageId());
        sb.append("<h2>Stage ")
                .append(s.stageId())
                .append(" (attempt ")
                .append(s.attempt())
                .append("): ")
                .append(esc(s.name()))
                .append("</h2><p>")
                .append(s.shuffleMap() ? "Writes a shuffle" : "Computes the job's result")
                .append(" &middot; state <span class=\"state-")
                .append(s.state() == null ? "" : s.state().name().toLowerCase(java.util.Locale.ROOT))
                .append("\">")
                .append(s.state())
                .append("</span> &middot; tasks ")
                .append(s.succeededTasks())
                .append('/')
                .append(s.numTasks())
                .append(" succeeded, ")
                .append(s.runningTasks())
                .append(" running, ")
                .append(s.failedTasks())
                .append(" failed, ")
                .append(s.killedTasks())
                .append(" killed &middot; <a href=\"tasks?stage=")
                .append(s.stageId())
                .append("&amp;attempt=")
                .append(s.attempt())
                .append("\">task list</a></p>");
        if (attempts.size() > 1) {
            sb.append("<p>Attempts: ");
            for (StageView a : attempts) {
                sb.append("<a href=\"stage?id=")
                        .append(a.stageId())
                        .append("&amp;attempt=")
                        .append(a.attempt())
                        .append("\">")
                        .append(a.attempt())
                        .append("</a> ");
            }
            sb.append("</p>");
        }
        sb.append("<h3>Summary of succeeded tasks</h3><table id=\"quantiles\"><tr><th>Metric</th><th>Min</th>"
                + "<th>25th percentile</th><th>Median</th><th>75th percentile</th><th>Max</th></tr>");
        quantileRow(sb, "Duration", s.durationMillis(), false);
        quantileRow(sb, "Shuffle read", s.shuffleReadBytes(), true);
        quantileRow(sb, "Shuffle write", s.shuffleWriteBytes(), true);
        quantileRow(sb, "GC time", s.gcMillis(), false);
        sb.append("</table><h3>Locality</h3><table id=\"locality\"><tr>");
        for (TaskLocality l : TaskLocality.values()) {
            sb.append("<th>").append(l).append("</th>");
        }
        sb.append("</tr><tr>");
        for (TaskLocality l : TaskLocality.values()) {
            sb.append("<td class=\"num\">")
                    .append(s.localityCounts().getOrDefault(l, 0))
                    .append("</td>");
        }
        sb.append("</tr></table>");
        counterTable(sb, "Counters (succeeded attempts)", s.counters());
        sb.append("<h3>Failed attempts</h3>");
        if (s.failures().isEmpty()) {
            sb.append("<p>None.</p>");
        } else {
            sb.append("<table id=\"failures\"><tr><th>Task</th><th>Partition</th><th>Attempt</th><th>Executor</th>"
                    + "<th>State</th><th>Error</th><th>Cause</th></tr>");
            for (StageView.TaskFailure f : s.failures()) {
                row(
                        sb,
                        Cell.text(String.valueOf(f.taskId())),
                        Cell.num(f.partition()),
                        Cell.num(f.attempt()),
                        Cell.text(f.executorId()),
                        Cell.text(f.state()),
                        Cell.text(f.error()),
                        Cell.pre(f.reason()));
            }
            sb.append("</table>");
        }
        return close(sb);
    }

    static String tasks(AppSummary app, int stageId, int attempt, List<TaskView> tasks) {
        StringBuilder sb = open(app, "Tasks of stage " + stageId);
        sb.append("<h2>Tasks of <a href=\"stage?id=")
                .append(stageId)
                .append("&amp;attempt=")
                .append(attempt)
                .append("\">stage ")
                .append(stageId)
                .append(" (attempt ")
                .append(attempt)
                .append(")</a></h2><table id=\"tasks\"><tr><th>Task</th><th>Partition</th><th>Attempt</th>"
                        + "<th>Executor</th><th>Host</th><th>State</th><th>Locality</th><th>Launched</th>"
                        + "<th>Duration</th><th>GC</th><th>Input</th><th>Shuffle read</th><th>Shuffle write</th>"
                        + "<th>Spill</th><th>Error</th></tr>");
        long now = System.currentTimeMillis();
        for (TaskView t : tasks) {
            Counters c = t.counters();
            row(
                    sb,
                    Cell.text(String.valueOf(t.taskId())),
                    Cell.num(t.partition()),
                    Cell.num(t.attempt()),
                    Cell.text(t.executorId()),
                    Cell.text(t.host()),
                    Cell.state(t.state().name()),
                    Cell.text(t.locality() == null ? "" : t.locality().name()),
                    Cell.text(time(t.launchTime())),
                    Cell.num(millis(t.durationMillis(now))),
                    Cell.num(millis(c.gcMillis())),
                    Cell.num(bytes(c.inputBytes())),
                    Cell.num(bytes(c.shuffleBytesRead())),
                    Cell.num(bytes(c.shuffleBytesWritten())),
                    Cell.num(bytes(c.spillBytes())),
                    Cell.text(t.error()));
        }
        return close(sb.append("</table>"));
    }

    static String executors(AppSummary app, List<ExecutorView> executors) {
        StringBuilder sb = open(app, "Executors");
        sb.append("<h2>Executors</h2><table id=\"executors\"><tr><th>Executor</th><th>Host</th><th>State</th>"
                + "<th>Added</th><th>Removed</th><th>Active tasks</th><th>Completed</th><th>Failed</th>"
                + "<th>Shuffle read</th><th>Shuffle write</th><th>GC</th><th>Why removed</th><th>Logs</th></tr>");
        for (ExecutorView e : executors) {
            row(
                    sb,
                    Cell.text(e.executorId()),
                    Cell.text(e.host()),
                    Cell.state(e.state().name()),
                    Cell.text(time(e.addTime())),
                    Cell.text(time(e.removeTime())),
                    Cell.num(e.activeTasks()),
                    Cell.num(e.completedTasks()),
                    Cell.num(e.failedTasks()),
                    Cell.num(bytes(e.counters().shuffleBytesRead())),
                    Cell.num(bytes(e.counters().shuffleBytesWritten())),
                    Cell.num(millis(e.counters().gcMillis())),
                    Cell.text(e.error() == null ? "" : e.error() + ": " + e.reason()),
                    logLink(e.logUrl()));
        }
        return close(sb.append("</table>"));
    }

    /** A link to a container's logs on its NodeManager: only http(s) URLs, since the URL is the driver's word. */
    private static Cell logLink(String url) {
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            return Cell.text("");
        }
        return new Cell("<td><a href=\"" + esc(url) + "\" rel=\"noopener\">container logs</a></td>");
    }

    static String environment(AppSummary app, Map<String, String> settings) {
        StringBuilder sb = open(app, "Environment");
        sb.append("<h2>Configuration</h2><p>The job's weft.* settings and a few Hadoop ones; credentials are"
                + " redacted.</p><table id=\"environment\"><tr><th>Key</th><th>Value</th></tr>");
        new java.util.TreeMap<>(settings).forEach((k, v) -> row(sb, Cell.text(k), Cell.text(v)));
        return close(sb.append("</table>"));
    }

    static String notFound(AppSummary app, String message) {
        StringBuilder sb = open(app, "Not found");
        return close(sb.append("<h2>Not found</h2><p class=\"error\">")
                .append(esc(message))
                .append("</p>"));
    }

    private static void summary(StringBuilder sb, AppSummary app) {
        sb.append("<p>Application <b>")
                .append(esc(app.appId()))
                .append("</b> (")
                .append(esc(app.name()))
                .append(", user ")
                .append(esc(app.user()))
                .append(", attempt ")
                .append(app.attempt())
                .append(") &middot; <span class=\"state-")
                .append(esc(app.state().toLowerCase(java.util.Locale.ROOT)))
                .append("\">")
                .append(esc(app.state()))
                .append("</span> &middot; started ")
                .append(time(app.startTime()))
                .append(app.endTime() > 0 ? " &middot; ended " + time(app.endTime()) : "")
                .append(" &middot; progress ")
                .append(Math.round(app.progress() * 100))
                .append("% &middot; ")
                .append(app.activeExecutors())
                .append(" executors</p>");
        counterTable(sb, "Counters (all stages, succeeded attempts)", app.counters());
    }

    private static void stageTable(StringBuilder sb, List<StageView> stages) {
        sb.append("<table id=\"stages\"><tr><th>Stage</th><th>Attempt</th><th>Name</th><th>State</th>"
                + "<th>Submitted</th><th>Duration</th><th>Tasks (succeeded/total)</th><th>Running</th><th>Failed</th>"
                + "<th>Input</th><th>Output</th><th>Shuffle read</th><th>Shuffle write</th><th>Spill</th></tr>");
        long now = System.currentTimeMillis();
        for (StageView s : stages) {
            Counters c = s.counters();
            long end = s.completionTime() == 0 ? now : s.completionTime();
            row(
                    sb,
                    Cell.link("stage?id=" + s.stageId() + "&attempt=" + s.attempt(), String.valueOf(s.stageId())),
                    Cell.num(s.attempt()),
                    Cell.text(s.name()),
                    Cell.state(
                            s.state() == null
                                    ? StageState.CREATED.name()
                                    : s.state().name()),
                    Cell.text(time(s.submissionTime())),
                    Cell.num(s.submissionTime() == 0 ? "" : millis(end - s.submissionTime())),
                    Cell.num(s.succeededTasks() + "/" + s.numTasks()),
                    Cell.num(s.runningTasks()),
                    Cell.num(s.failedTasks()),
                    Cell.num(bytes(c.inputBytes())),
                    Cell.num(bytes(c.outputBytes())),
                    Cell.num(bytes(c.shuffleBytesRead())),
                    Cell.num(bytes(c.shuffleBytesWritten())),
                    Cell.num(bytes(c.spillBytes())));
        }
        sb.append("</table>");
    }

    private static void counterTable(StringBuilder sb, String title, Counters c) {
        sb.append("<details><summary>")
                .append(esc(title))
                .append("</summary><table class=\"counters\"><tr><th>Counter</th><th>Value</th></tr>");
        row(sb, "Input records", String.valueOf(c.inputRecords()));
        row(sb, "Input bytes", bytes(c.inputBytes()));
        row(sb, "Output records", String.valueOf(c.outputRecords()));
        row(sb, "Output bytes", bytes(c.outputBytes()));
        row(sb, "Shuffle records written", String.valueOf(c.shuffleRecordsWritten()));
        row(sb, "Shuffle bytes written", bytes(c.shuffleBytesWritten()));
        row(sb, "Shuffle records read", String.valueOf(c.shuffleRecordsRead()));
        row(sb, "Shuffle bytes read (local)", bytes(c.shuffleBytesReadLocal()));
        row(sb, "Shuffle bytes read (remote)", bytes(c.shuffleBytesReadRemote()));
        row(sb, "Fetch wait", millis(c.fetchWaitMillis()));
        row(sb, "Spills", c.spillCount() + " (" + bytes(c.spillBytes()) + ")");
        row(sb, "Peak execution memory", bytes(c.peakMemoryBytes()));
        row(sb, "Task time", millis(c.runMillis()));
        row(sb, "GC time", millis(c.gcMillis()));
        sb.append("</table></details>");
    }

    private static void row(StringBuilder sb, String name, String value) {
        row(sb, Cell.text(name), Cell.num(value));
    }

    private static void row(StringBuilder sb, Cell... cells) {
        sb.append("<tr>");
        for (Cell c : cells) {
            sb.append(c.html());
        }
        sb.append("</tr>");
    }

    /** One table cell's HTML, built only by the factories, which escape what they are given. */
    private record Cell(String html) {
        static Cell text(String raw) {
            return new Cell("<td>" + esc(raw) + "</td>");
        }

        static Cell num(Object value) {
            return new Cell("<td class=\"num\">" + esc(String.valueOf(value)) + "</td>");
        }

        static Cell pre(String raw) {
            return new Cell("<td><pre>" + esc(raw) + "</pre></td>");
        }

        /** A relative link within the application's pages. */
        static Cell link(String href, String label) {
            return new Cell("<td><a href=\"" + esc(href) + "\">" + esc(label) + "</a></td>");
        }

        static Cell state(String state) {
            return new Cell("<td class=\"state-" + esc(state.toLowerCase(java.util.Locale.ROOT)) + "\">" + esc(state)
                    + "</td>");
        }
    }

    private static void quantileRow(StringBuilder sb, String name, Quantiles q, boolean isBytes) {
        Cell[] cells = new Cell[6];
        cells[0] = Cell.text(name);
        long[] values = {q.min(), q.p25(), q.median(), q.p75(), q.max()};
        for (int i = 0; i < values.length; i++) {
            cells[i + 1] = Cell.num(isBytes ? bytes(values[i]) : millis(values[i]));
        }
        row(sb, cells);
    }

    private static StringBuilder open(AppSummary app, String title) {
        return new StringBuilder(8192)
                .append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append(" - Weft ")
                .append(esc(app.appId()))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body><nav><a href=\"./\">Jobs</a><a href=\"stages\">Stages</a>"
                        + "<a href=\"executors\">Executors</a><a href=\"environment\">Environment</a>"
                        + "<a href=\"api/v1/application\">JSON</a><span class=\"app\">Weft &middot; ")
                .append(esc(app.appId()))
                .append("</span></nav>");
    }

    private static String close(StringBuilder sb) {
        return sb.append("</body></html>").toString();
    }
}
