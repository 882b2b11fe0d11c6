package dev.weft.yarn;

import com.sun.net.httpserver.HttpServer;
import dev.weft.annotations.SuppressForbidden;
import dev.weft.events.JobState;
import dev.weft.events.StageState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The driver's tracking page (the ResourceManager links to it through its proxy): application state,
 * progress, jobs and stages. A minimal page until the full UI arrives; links are relative so the RM
 * proxy path works. Also computes the progress reported to the ResourceManager.
 *
 * <p>Thread-safe: events arrive on the scheduler thread, requests on the server's thread.
 */
@SuppressForbidden("com.sun.net.httpserver is the exported, supported jdk.httpserver API, not a JDK internal")
final class StatusPage implements WeftListener, AutoCloseable {
    private final HttpServer server;
    private final String appId;
    private final Map<Integer, String> jobs = new LinkedHashMap<>();
    private final Map<String, String> stages = new LinkedHashMap<>();
    private final Deque<String> recent = new ArrayDeque<>();
    private long tasksLaunched;
    private long tasksSucceeded;
    private long stageTasks;
    private volatile String state = "RUNNING";

    StatusPage(String bindHost, String appId) throws IOException {
        this.appId = appId;
        this.server = HttpServer.create(new InetSocketAddress(bindHost, 0), 0);
        server.createContext("/", ex -> {
            byte[] body = render().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weft-status-page");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void setState(String s) {
        state = s;
    }

    /** Fraction of the tasks of submitted stages that succeeded: what the RM UI shows. */
    synchronized float progress() {
        return stageTasks == 0 ? 0f : Math.min(0.99f, (float) tasksSucceeded / stageTasks);
    }

    @Override
    public synchronized void onEvent(WeftEvent event) {
        if (event instanceof WeftEvent.JobStateChanged j) {
            jobs.put(
                    j.jobId(),
                    j.callSite() + ": " + j.to() + (j.to() == JobState.FAILED ? " (" + j.reason() + ")" : ""));
        } else if (event instanceof WeftEvent.StageStateChanged s) {
            stages.put(s.stageId() + "." + s.attempt(), s.name() + ": " + s.to() + " (" + s.numTasks() + " tasks)");
            if (s.to() == StageState.RUNNING) {
                stageTasks += s.numTasks();
            }
            remember("stage " + s.stageId() + "." + s.attempt() + " " + s.from() + " -> " + s.to());
        } else if (event instanceof WeftEvent.TaskStateChanged t) {
            if (t.to() == TaskState.RUNNING) {
                tasksLaunched++;
            } else if (t.to() == TaskState.SUCCEEDED) {
                tasksSucceeded++;
            } else {
                remember("task " + t.taskId() + " " + t.to() + ": " + t.reason());
            }
        }
    }

    private void remember(String line) {
        recent.addLast(line);
        while (recent.size() > 50) {
            recent.removeFirst();
        }
    }

    private synchronized String render() {
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><title>Weft ")
                .append(esc(appId))
                .append("</title></head><body><h1>Weft driver ")
                .append(esc(appId))
                .append("</h1>");
        sb.append("<p>State: ")
                .append(esc(state))
                .append(" &middot; progress ")
                .append(Math.round(progress() * 100))
                .append("% &middot; tasks launched ")
                .append(tasksLaunched)
                .append(", succeeded ")
                .append(tasksSucceeded)
                .append("</p>");
        sb.append("<h2>Jobs</h2><ul>");
        jobs.forEach((id, s) ->
                sb.append("<li>job ").append(id).append(": ").append(esc(s)).append("</li>"));
        sb.append("</ul><h2>Stages</h2><ul>");
        stages.forEach((id, s) ->
                sb.append("<li>stage ").append(id).append(": ").append(esc(s)).append("</li>"));
        sb.append("</ul><h2>Recent events</h2><pre>");
        recent.forEach(l -> sb.append(esc(l)).append('\n'));
        return sb.append("</pre></body></html>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
