package dev.weft.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.error.WeftError;
import dev.weft.events.ExclusionScope;
import dev.weft.events.ExecutorState;
import dev.weft.events.JobState;
import dev.weft.events.StageState;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.metrics.TaskMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event log's line format: one JSON object per line, {@code "event"} naming what it is. Every {@link WeftEvent}
 * has one, named after its record, with the record's components under their own names ({@code time} for the time,
 * task metrics as an object of {@link TaskMetrics}' fields); three more frame the application: {@value #APP_START}
 * (first), {@value #ENVIRONMENT}, {@value #EXECUTOR_LOGS} (where a container's logs are) and {@value #APP_END} (last, missing when the driver died). Readers skip event names
 * they do not know, so a newer driver's log still replays.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventJson {
    public static final String APP_START = "ApplicationStart";
    public static final String APP_END = "ApplicationEnd";
    public static final String ENVIRONMENT = "Environment";
    public static final String EXECUTOR_LOGS = "ExecutorLogs";
    /** Format version written in {@value #APP_START}; a reader refuses a log of a later major version. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {}

    public static String applicationStart(String appId, String name, String user, int attempt, long time) {
        ObjectNode n = head(APP_START, time);
        n.put("version", VERSION);
        n.put("appId", appId);
        n.put("name", name);
        n.put("user", user);
        n.put("attempt", attempt);
        return write(n);
    }

    public static String applicationEnd(String finalState, long time) {
        ObjectNode n = head(APP_END, time);
        n.put("state", finalState);
        return write(n);
    }

    public static String environment(Map<String, String> settings, long time) {
        ObjectNode n = head(ENVIRONMENT, time);
        ObjectNode s = n.putObject("settings");
        new TreeMap<>(settings).forEach(s::put);
        return write(n);
    }

    public static String executorLogs(String executorId, String logUrl, long time) {
        ObjectNode n = head(EXECUTOR_LOGS, time);
        n.put("executorId", executorId);
        n.put("logUrl", logUrl);
        return write(n);
    }

    public static String encode(WeftEvent event) {
        ObjectNode n = head(event.getClass().getSimpleName(), event.timeMillis());
        if (event instanceof WeftEvent.JobStateChanged j) {
            n.put("jobId", j.jobId());
            n.put("callSite", j.callSite());
            putEnum(n, "from", j.from());
            putEnum(n, "to", j.to());
            n.put("reason", j.reason());
            putMetrics(n, j.metrics());
        } else if (event instanceof WeftEvent.JobPlanned p) {
            n.put("jobId", p.jobId());
            ArrayNode stages = n.putArray("stages");
            p.stages().forEach(s -> putPlannedStage(stages.addObject(), s));
        } else if (event instanceof WeftEvent.StageStateChanged s) {
            n.put("stageId", s.stageId());
            n.put("attempt", s.attempt());
            n.put("name", s.name());
            n.put("shuffleMap", s.shuffleMap());
            n.put("numTasks", s.numTasks());
            putEnum(n, "from", s.from());
            putEnum(n, "to", s.to());
            n.put("reason", s.reason());
        } else if (event instanceof WeftEvent.TaskStateChanged t) {
            n.put("taskId", t.taskId());
            n.put("stageId", t.stageId());
            n.put("stageAttempt", t.stageAttempt());
            n.put("partition", t.partition());
            n.put("attempt", t.attempt());
            n.put("executorId", t.executorId());
            putEnum(n, "from", t.from());
            putEnum(n, "to", t.to());
            n.put("reason", t.reason());
            putMetrics(n, t.metrics());
            putEnum(n, "locality", t.locality());
            putEnum(n, "error", t.error());
        } else if (event instanceof WeftEvent.ExecutorStateChanged x) {
            n.put("executorId", x.executorId());
            n.put("host", x.host());
            putEnum(n, "from", x.from());
            putEnum(n, "to", x.to());
            putEnum(n, "error", x.error());
            n.put("reason", x.reason());
        } else if (event instanceof WeftEvent.ExecutorRequested r) {
            n.put("node", r.node());
            n.put("strict", r.strict());
            n.put("relaxedAfterWait", r.relaxedAfterWait());
            n.put("reason", r.reason());
        } else if (event instanceof WeftEvent.ExclusionChanged x) {
            putEnum(n, "scope", x.scope());
            n.put("target", x.target());
            n.put("excluded", x.excluded());
            n.put("untilMillis", x.untilMillis());
            n.put("reason", x.reason());
        } else {
            throw new IllegalArgumentException(
                    "no JSON form for " + event.getClass().getName());
        }
        return write(n);
    }

    /** Parses one line; a line that is not a JSON object throws, naming what is wrong. */
    static JsonNode parse(String line) {
        try {
            JsonNode n = MAPPER.readTree(line);
            if (n == null || !n.isObject() || !n.path("event").isTextual()) {
                throw new IllegalArgumentException("not an event: a JSON object with an \"event\" name is expected");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The event a parsed line holds, or null when the line is one of the framing records or an event this reader
     * does not know.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    static WeftEvent decode(JsonNode n) {
        long time = longField(n, "time");
        return switch (n.get("event").asText()) {
            case "JobStateChanged" ->
                new WeftEvent.JobStateChanged(
                        time,
                        intField(n, "jobId"),
                        text(n, "callSite"),
                        enumField(n, "from", JobState.class),
                        enumField(n, "to", JobState.class),
                        text(n, "reason"),
                        metrics(n));
            case "JobPlanned" -> {
                List<WeftEvent.PlannedStage> stages = new ArrayList<>();
                for (JsonNode s : array(n, "stages")) {
                    List<Integer> parents = new ArrayList<>();
                    for (JsonNode p : array(s, "parentIds")) {
                        parents.add(p.asInt());
                    }
                    stages.add(new WeftEvent.PlannedStage(
                            intField(s, "stageId"),
                            text(s, "name"),
                            s.path("shuffleMap").asBoolean(),
                            intField(s, "numTasks"),
                            parents));
                }
                yield new WeftEvent.JobPlanned(time, intField(n, "jobId"), stages);
            }
            case "StageStateChanged" ->
                new WeftEvent.StageStateChanged(
                        time,
                        intField(n, "stageId"),
                        intField(n, "attempt"),
                        text(n, "name"),
                        n.path("shuffleMap").asBoolean(),
                        intField(n, "numTasks"),
                        enumField(n, "from", StageState.class),
                        enumField(n, "to", StageState.class),
                        text(n, "reason"));
            case "TaskStateChanged" ->
                new WeftEvent.TaskStateChanged(
                        time,
                        longField(n, "taskId"),
                        intField(n, "stageId"),
                        intField(n, "stageAttempt"),
                        intField(n, "partition"),
                        intField(n, "attempt"),
                        text(n, "executorId"),
                        enumField(n, "from", TaskState.class),
                        enumField(n, "to", TaskState.class),
                        text(n, "reason"),
                        metrics(n),
                        enumField(n, "locality", TaskLocality.class),
                        enumField(n, "error", WeftError.class));
            case "ExecutorStateChanged" ->
                new WeftEvent.ExecutorStateChanged(
                        time,
                        text(n, "executorId"),
                        text(n, "host"),
                        enumField(n, "from", ExecutorState.class),
                        enumField(n, "to", ExecutorState.class),
                        enumField(n, "error", WeftError.class),
                        text(n, "reason"));
            case "ExecutorRequested" ->
                new WeftEvent.ExecutorRequested(
                        time,
                        text(n, "node"),
                        n.path("strict").asBoolean(),
                        n.path("relaxedAfterWait").asBoolean(),
                        text(n, "reason"));
            case "ExclusionChanged" ->
                new WeftEvent.ExclusionChanged(
                        time,
                        enumField(n, "scope", ExclusionScope.class),
                        text(n, "target"),
                        n.path("excluded").asBoolean(),
                        longField(n, "untilMillis"),
                        text(n, "reason"));
            default -> null;
        };
    }

    /** A planned stage's fields, as the event log and the JSON API both write them. */
    static void putPlannedStage(ObjectNode o, WeftEvent.PlannedStage s) {
        o.put("stageId", s.stageId());
        o.put("name", s.name());
        o.put("shuffleMap", s.shuffleMap());
        o.put("numTasks", s.numTasks());
        ArrayNode parents = o.putArray("parentIds");
        s.parentIds().forEach(parents::add);
    }

    private static ObjectNode head(String event, long time) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("event", event);
        n.put("time", time);
        return n;
    }

    private static String write(ObjectNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an event as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void putEnum(ObjectNode n, String field, Enum<?> value) {
        if (value == null) {
            n.putNull(field);
        } else {
            n.put(field, value.name());
        }
    }

    private static void putMetrics(ObjectNode n, TaskMetrics m) {
        if (m == null) {
            n.putNull("metrics");
            return;
        }
        ObjectNode o = n.putObject("metrics");
        o.put("inputRecords", m.inputRecords);
        o.put("inputBytes", m.inputBytes);
        o.put("outputRecords", m.outputRecords);
        o.put("outputBytes", m.outputBytes);
        o.put("shuffleRecordsWritten", m.shuffleRecordsWritten);
        o.put("shuffleBytesWritten", m.shuffleBytesWritten);
        o.put("shuffleRecordsRead", m.shuffleRecordsRead);
        o.put("shuffleBytesRead", m.shuffleBytesRead);
        o.put("shuffleBytesReadRemote", m.shuffleBytesReadRemote);
        o.put("fetchWaitNanos", m.fetchWaitNanos);
        o.put("spillCount", m.spillCount);
        o.put("spillBytes", m.spillBytes);
        o.put("peakMemoryBytes", m.peakMemoryBytes);
        o.put("runNanos", m.runNanos);
        o.put("gcMillis", m.gcMillis);
    }

    private static TaskMetrics metrics(JsonNode n) {
        JsonNode o = n.get("metrics");
        if (o == null || o.isNull()) {
            return null;
        }
        if (!o.isObject()) {
            throw new IllegalArgumentException("\"metrics\" is not an object");
        }
        TaskMetrics m = new TaskMetrics();
        m.inputRecords = o.path("inputRecords").asLong();
        m.inputBytes = o.path("inputBytes").asLong();
        m.outputRecords = o.path("outputRecords").asLong();
        m.outputBytes = o.path("outputBytes").asLong();
        m.shuffleRecordsWritten = o.path("shuffleRecordsWritten").asLong();
        m.shuffleBytesWritten = o.path("shuffleBytesWritten").asLong();
        m.shuffleRecordsRead = o.path("shuffleRecordsRead").asLong();
        m.shuffleBytesRead = o.path("shuffleBytesRead").asLong();
        m.shuffleBytesReadRemote = o.path("shuffleBytesReadRemote").asLong();
        m.fetchWaitNanos = o.path("fetchWaitNanos").asLong();
        m.spillCount = o.path("spillCount").asLong();
        m.spillBytes = o.path("spillBytes").asLong();
        m.peakMemoryBytes = o.path("peakMemoryBytes").asLong();
        m.runNanos = o.path("runNanos").asLong();
        m.gcMillis = o.path("gcMillis").asLong();
        return m;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" is not a string");
        }
        return v.asText();
    }

    static long longField(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not a whole number");
        }
        return v.asLong();
    }

    static int intField(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not a 32-bit whole number");
        }
        return v.asInt();
    }

    private static Iterable<JsonNode> array(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing or not an array");
        }
        return v;
    }

    private static <E extends Enum<E>> E enumField(JsonNode n, String field, Class<E> type) {
        String v = text(n, field);
        if (v == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + field + "\" is " + v + ", not a " + type.getSimpleName(), e);
        }
    }
}
