package dev.weft.ui;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers one GET of an application's UI from its {@link StatusStore}: the HTML pages, the job graphs and the JSON
 * API under {@code api/v1/}. {@code path} is relative to the application's root, without a leading slash. Unknown
 * pages and ids get a 404 whose message names what was asked and what exists; nothing here answers with a stack
 * trace.
 *
 * <p>Stateless and thread-safe.
 */
public final class UiRoutes {
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String SVG = "image/svg+xml; charset=utf-8";

    private UiRoutes() {}

    /** A response: status, content type and body. */
    public record Response(int status, String contentType, String body) {}

    public static Response get(StatusStore store, String path, Map<String, String> query) {
        return get(store, null, path, query);
    }

    /** {@link #get(StatusStore, String, Map)}, with the driver's own log (live UI only) at {@code api/v1/driver-log}. */
    static Response get(StatusStore store, LogTail driverLog, String path, Map<String, String> query) {
        AppSummary app = store.summary();
        if (path.equals("api/v1/driver-log")) {
            if (driverLog == null) {
                return jsonNotFound("no driver log here: only the running driver serves its log");
            }
            Long from = offset(query.getOrDefault("from", "0"));
            if (from == null) {
                return jsonNotFound("no log offset '" + query.get("from") + "': a byte offset is a whole number");
            }
            try {
                return new Response(200, "text/plain; charset=utf-8", driverLog.from(from));
            } catch (java.io.IOException e) {
                return jsonNotFound("the driver's log cannot be read: " + e.getMessage());
            }
        }
        if (path.startsWith("api/v1/") || path.equals("api/v1")) {
            return api(store, app, path.substring(Math.min(path.length(), "api/v1/".length())));
        }
        switch (path) {
            case "", "jobs" -> {
                return page(UiPages.jobs(app, store.jobs()));
            }
            case "stages" -> {
                return page(UiPages.stages(app, store.stages()));
            }
            case "executors" -> {
                return page(UiPages.executors(app, store.executors()));
            }
            case "environment" -> {
                return page(UiPages.environment(app, store.environment()));
            }
            case "job" -> {
                Integer id = id(query.get("id"));
                Optional<JobView> job = id == null ? Optional.empty() : store.job(id);
                if (job.isEmpty()) {
                    return htmlNotFound(app, unknownJob(query.get("id"), store));
                }
                return page(UiPages.job(app, job.get(), store.stages()));
            }
            case "dag.svg" -> {
                Integer id = id(query.get("job"));
                Optional<JobView> job = id == null ? Optional.empty() : store.job(id);
                if (job.isEmpty()) {
                    return htmlNotFound(app, unknownJob(query.get("job"), store));
                }
                List<StageView> stages = store.stages();
                return new Response(200, SVG, DagSvg.render(job.get().plan(), UiPages.stageStates(job.get(), stages)));
            }
            case "stage" -> {
                Integer id = id(query.get("id"));
                List<StageView> attempts = id == null ? List.of() : store.stage(id);
                if (attempts.isEmpty()) {
                    return htmlNotFound(app, unknownStage(query.get("id"), store));
                }
                StageView shown = attempts.get(attempts.size() - 1);
                if (query.containsKey("attempt")) {
                    Integer a = id(query.get("attempt"));
                    Optional<StageView> chosen = a == null ? Optional.empty() : store.stageAttempt(id, a);
                    if (chosen.isEmpty()) {
                        return htmlNotFound(app, "stage " + id + " has no attempt '" + query.get("attempt") + "'");
                    }
                    shown = chosen.get();
                }
                return page(UiPages.stage(app, shown, attempts));
            }
            case "tasks" -> {
                Integer id = id(query.get("stage"));
                Integer a = id(query.getOrDefault("attempt", "0"));
                Optional<List<TaskView>> tasks = id == null || a == null ? Optional.empty() : store.tasks(id, a);
                if (tasks.isEmpty()) {
                    return htmlNotFound(
                            app,
                            "no stage attempt '" + query.get("stage") + "." + query.getOrDefault("attempt", "0") + "': "
                                    + stageIds(store));
                }
                return page(UiPages.tasks(app, id, a, tasks.get()));
            }
            default -> {
                return htmlNotFound(
                        app,
                        "no page '" + path + "': the pages are jobs, job?id=N, stages, stage?id=N,"
                                + " tasks?stage=N&attempt=A, executors, environment and the JSON API under api/v1/");
            }
        }
    }

    private static Response api(StatusStore store, AppSummary app, String rest) {
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("/", -1);
        if (parts.length == 1) {
            switch (parts[0]) {
                case "application" -> {
                    return json(JsonApi.application(app));
                }
                case "jobs" -> {
                    return json(JsonApi.jobs(store.jobs()));
                }
                case "stages" -> {
                    return json(JsonApi.stages(store.stages()));
                }
                case "executors" -> {
                    return json(JsonApi.executors(store.executors()));
                }
                case "environment" -> {
                    return json(JsonApi.environment(store.environment()));
                }
                case "progress" -> {
                    return json(JsonApi.progress(app, store.stages()));
                }
                default -> {
                    // fall through to the 404 below
                }
            }
        }
        if (parts.length == 2 && parts[0].equals("jobs")) {
            Integer id = id(parts[1]);
            Optional<JobView> job = id == null ? Optional.empty() : store.job(id);
            return job.map(j -> json(JsonApi.job(j))).orElseGet(() -> jsonNotFound(unknownJob(parts[1], store)));
        }
        if (parts.length >= 2 && parts.length <= 4 && parts[0].equals("stages")) {
            Integer id = id(parts[1]);
            List<StageView> attempts = id == null ? List.of() : store.stage(id);
            if (attempts.isEmpty()) {
                return jsonNotFound(unknownStage(parts[1], store));
            }
            if (parts.length == 2) {
                return json(JsonApi.stages(attempts));
            }
            Integer a = id(parts[2]);
            Optional<StageView> attempt = a == null ? Optional.empty() : store.stageAttempt(id, a);
            if (attempt.isEmpty()) {
                return jsonNotFound("stage " + id + " has no attempt '" + parts[2] + "'");
            }
            if (parts.length == 3) {
                return json(JsonApi.stage(attempt.get()));
            }
            if (parts[3].equals("tasks")) {
                return json(JsonApi.tasks(store.tasks(id, a).orElseThrow()));
            }
        }
        return jsonNotFound("no API resource '" + rest + "': the resources are application, jobs, jobs/{id}, stages,"
                + " stages/{id}, stages/{id}/{attempt}, stages/{id}/{attempt}/tasks, executors, environment and"
                + " progress");
    }

    private static String unknownJob(String asked, StatusStore store) {
        List<JobView> jobs = store.jobs();
        return "no job '" + asked + "': "
                + (jobs.isEmpty()
                        ? "this application has no jobs yet"
                        : "this application's jobs are " + jobs.get(0).jobId() + " to "
                                + jobs.get(jobs.size() - 1).jobId());
    }

    private static String unknownStage(String asked, StatusStore store) {
        return "no stage '" + asked + "': " + stageIds(store);
    }

    private static String stageIds(StatusStore store) {
        List<StageView> stages = store.stages();
        return stages.isEmpty()
                ? "this application has run no stages yet"
                : "this application's stages are " + stages.get(0).stageId() + " to "
                        + stages.get(stages.size() - 1).stageId();
    }

    private static Long offset(String s) {
        if (s == null || s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(s);
    }

    /** A non-negative decimal id, or null for anything else (absent, not a number, too long, negative). */
    static Integer id(String s) {
        if (s == null || s.isEmpty() || s.length() > 9) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Integer.parseInt(s);
    }

    private static Response page(String html) {
        return new Response(200, HTML, html);
    }

    private static Response json(Object node) {
        return new Response(200, JSON, JsonApi.write(node));
    }

    private static Response htmlNotFound(AppSummary app, String message) {
        return new Response(404, HTML, UiPages.notFound(app, message));
    }

    static Response jsonNotFound(String message) {
        return new Response(404, JSON, JsonApi.write(JsonApi.error(404, message)));
    }
}
