package dev.weft.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.events.StageState;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of the views, as {@code /api/v1/} serves them: field names are the views' component names, times
 * are epoch milliseconds (0: not yet), enums their names. The history server serves the same JSON for the same
 * events, which is what lets a test compare the live UI with the history.
 *
 * <p>Stateless and thread-safe.
 */
final class JsonApi {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonApi() {}

    static String write(Object node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode error(int status, String message) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("status", status);
        n.put("message", message);
        return n;
    }

    static ObjectNode application(AppSummary a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", a.appId());
        n.put("name", a.name());
        n.put("user", a.user());
        n.put("attempt", a.attempt());
        n.put("state", a.state());
        n.put("startTime", a.startTime());
        n.put("endTime", a.endTime());
        n.put("progress", a.progress());
        n.put("jobs", a.jobs());
        n.put("activeStages", a.activeStages());
        n.put("activeExecutors", a.activeExecutors());
        n.set("counters", counters(a.counters()));
        return n;
    }

    static ArrayNode jobs(List<JobView> jobs) {
        ArrayNode a = MAPPER.createArrayNode();
        jobs.forEach(j -> a.add(job(j)));
        return a;
    }

    static ObjectNode job(JobView j) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("jobId", j.jobId());
        n.put("callSite", j.callSite());
        n.put("state", j.state().name());
        n.put("submissionTime", j.submissionTime());
        n.put("completionTime", j.completionTime());
        n.put("failureReason", j.failureReason());
        n.put("numTasks", j.numTasks());
        n.put("succeededTasks", j.succeededTasks());
        n.put("failedTasks", j.failedTasks());
        ArrayNode run = n.putArray("stageIdsRun");
        j.stageIdsRun().forEach(run::add);
        ArrayNode plan = n.putArray("stages");
        j.plan().forEach(s -> EventJson.putPlannedStage(plan.addObject(), s));
        n.set("counters", counters(j.counters()));
        return n;
    }

    static ArrayNode stages(List<StageView> stages) {
        ArrayNode a = MAPPER.createArrayNode();
        stages.forEach(s -> a.add(stage(s)));
        return a;
    }

    static ObjectNode stage(StageView s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("stageId", s.stageId());
        n.put("attempt", s.attempt());
        n.put("name", s.name());
        n.put("shuffleMap", s.shuffleMap());
        n.put("state", s.state() == null ? StageState.CREATED.name() : s.state().name());
        n.put("numTasks", s.numTasks());
        n.put("submissionTime", s.submissionTime());
        n.put("completionTime", s.completionTime());
        n.put("reason", s.reason());
        ArrayNode jobs = n.putArray("jobIds");
        s.jobIds().forEach(jobs::add);
        ArrayNode parents = n.putArray("parentIds");
        s.parentIds().forEach(parents::add);
        n.put("runningTasks", s.runningTasks());
        n.put("succeededTasks", s.succeededTasks());
        n.put("failedTasks", s.failedTasks());
        n.put("killedTasks", s.killedTasks());
        ObjectNode locality = n.putObject("locality");
        new java.util.TreeMap<>(s.localityCounts()).forEach((k, v) -> locality.put(k.name(), v));
        ObjectNode q = n.putObject("quantiles");
        q.set("durationMillis", quantiles(s.durationMillis()));
        q.set("shuffleReadBytes", quantiles(s.shuffleReadBytes()));
        q.set("shuffleWriteBytes", quantiles(s.shuffleWriteBytes()));
        q.set("gcMillis", quantiles(s.gcMillis()));
        ArrayNode failures = n.putArray("failures");
        for (StageView.TaskFailure f : s.failures()) {
            ObjectNode o = failures.addObject();
            o.put("taskId", f.taskId());
            o.put("partition", f.partition());
            o.put("attempt", f.attempt());
            o.put("executorId", f.executorId());
            o.put("state", f.state());
            o.put("error", f.error());
            o.put("reason", f.reason());
        }
        n.set("counters", counters(s.counters()));
        return n;
    }

    static ArrayNode tasks(List<TaskView> tasks) {
        ArrayNode a = MAPPER.createArrayNode();
        for (TaskView t : tasks) {
            ObjectNode n = a.addObject();
            n.put("taskId", t.taskId());
            n.put("partition", t.partition());
            n.put("attempt", t.attempt());
            n.put("executorId", t.executorId());
            n.put("host", t.host());
            n.put("state", t.state().name());
            n.put("locality", t.locality() == null ? null : t.locality().name());
            n.put("launchTime", t.launchTime());
            n.put("endTime", t.endTime());
            n.put("reason", t.reason());
            n.put("error", t.error());
            n.set("counters", counters(t.counters()));
        }
        return a;
    }

    static ArrayNode executors(List<ExecutorView> executors) {
        ArrayNode a = MAPPER.createArrayNode();
        for (ExecutorView e : executors) {
            ObjectNode n = a.addObject();
            n.put("executorId", e.executorId());
            n.put("host", e.host());
            n.put("state", e.state().name());
            n.put("addTime", e.addTime());
            n.put("removeTime", e.removeTime());
            n.put("error", e.error());
            n.put("reason", e.reason());
            n.put("activeTasks", e.activeTasks());
            n.put("completedTasks", e.completedTasks());
            n.put("failedTasks", e.failedTasks());
            n.set("counters", counters(e.counters()));
            n.put("logUrl", e.logUrl());
        }
        return a;
    }

    static ObjectNode environment(Map<String, String> settings) {
        ObjectNode n = MAPPER.createObjectNode();
        new java.util.TreeMap<>(settings).forEach(n::put);
        return n;
    }

    /** The application and its running stage attempts: what a client's progress lines need, in one request. */
    static ObjectNode progress(AppSummary app, List<StageView> stages) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("state", app.state());
        n.put("progress", app.progress());
        ArrayNode active = n.putArray("activeStages");
        for (StageView s : stages) {
            if (s.state() == StageState.RUNNING) {
                ObjectNode o = active.addObject();
                o.put("stageId", s.stageId());
                o.put("attempt", s.attempt());
                o.put("name", s.name());
                o.put("numTasks", s.numTasks());
                o.put("succeededTasks", s.succeededTasks());
                o.put("runningTasks", s.runningTasks());
                o.put("failedTasks", s.failedTasks());
            }
        }
        return n;
    }

    static ObjectNode counters(Counters c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("inputRecords", c.inputRecords());
        n.put("inputBytes", c.inputBytes());
        n.put("outputRecords", c.outputRecords());
        n.put("outputBytes", c.outputBytes());
        n.put("shuffleRecordsWritten", c.shuffleRecordsWritten());
        n.put("shuffleBytesWritten", c.shuffleBytesWritten());
        n.put("shuffleRecordsRead", c.shuffleRecordsRead());
        n.put("shuffleBytesRead", c.shuffleBytesRead());
        n.put("shuffleBytesReadLocal", c.shuffleBytesReadLocal());
        n.put("shuffleBytesReadRemote", c.shuffleBytesReadRemote());
        n.put("fetchWaitMillis", c.fetchWaitMillis());
        n.put("spillCount", c.spillCount());
        n.put("spillBytes", c.spillBytes());
        n.put("peakMemoryBytes", c.peakMemoryBytes());
        n.put("runMillis", c.runMillis());
        n.put("gcMillis", c.gcMillis());
        return n;
    }

    private static ObjectNode quantiles(Quantiles q) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("count", q.count());
        n.put("min", q.min());
        n.put("p25", q.p25());
        n.put("median", q.median());
        n.put("p75", q.p75());
        n.put("max", q.max());
        return n;
    }
}
