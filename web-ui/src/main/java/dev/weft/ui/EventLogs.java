package dev.weft.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.events.WeftEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds and replays the event logs {@link EventLogWriter} writes. A log's name is {@code <appId>_<attempt>}, with
 * {@value EventLogWriter#IN_PROGRESS} while its driver writes it.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventLogs {
    private static final Pattern NAME =
            Pattern.compile("(application_\\d+_\\d+|[A-Za-z0-9][A-Za-z0-9_.-]{0,127}?)_(\\d{1,4})(\\.inprogress)?");

    private EventLogs() {}

    /** One log in a directory. */
    public record Entry(String appId, int attempt, boolean inProgress, Path path, long length, long modificationTime) {}

    /** What a replay found: lines read and lines of events this reader does not know (skipped). */
    public record Replay(long lines, long skipped, boolean complete) {}

    static String fileName(String appId, int attempt) {
        return appId + "_" + attempt;
    }

    /** The logs in {@code dir}, newest first; files whose names are not log names are left out. */
    public static List<Entry> list(FileSystem fs, Path dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (FileStatus st : fs.listStatus(dir)) {
            if (!st.isFile()) {
                continue;
            }
            Matcher m = NAME.matcher(st.getPath().getName());
            if (m.matches()) {
                out.add(new Entry(
                        m.group(1),
                        Integer.parseInt(m.group(2)),
                        m.group(3) != null,
                        st.getPath(),
                        st.getLen(),
                        st.getModificationTime()));
            }
        }
        out.sort(Comparator.comparingLong(Entry::modificationTime).reversed());
        return out;
    }

    /** The latest attempt's log of each application in {@code dir}, by application id. */
    public static Map<String, Entry> latestAttempts(FileSystem fs, Path dir) throws IOException {
        Map<String, Entry> latest = new TreeMap<>();
        for (Entry e : list(fs, dir)) {
            latest.merge(e.appId(), e, (a, b) -> a.attempt() >= b.attempt() ? a : b);
        }
        return latest;
    }

    /**
     * Replays the log at {@code file} into {@code store}. The last line of a log still written (or of a driver that
     * died) may be cut short: it is ignored. Any other line that is not an event fails the replay, naming file and
     * line.
     */
    public static Replay replay(FileSystem fs, Path file, StatusStore store) throws IOException {
        long lines = 0;
        long skipped = 0;
        boolean complete = false;
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8), 1 << 16)) {
            String line = in.readLine();
            while (line != null) {
                String next = in.readLine();
                lines++;
                if (line.isBlank()) {
                    line = next;
                    continue;
                }
                JsonNode n;
                try {
                    n = EventJson.parse(line);
                } catch (IllegalArgumentException e) {
                    if (next == null) {
                        break; // the cut-off last line of a log whose writer stopped mid-line
                    }
                    throw new EventLogException(file, lines, e.getMessage(), e);
                }
                try {
                    String event = n.get("event").asText();
                    switch (event) {
                        case EventJson.APP_START -> start(store, n, file, lines);
                        case EventJson.APP_END -> {
                            store.applicationEnded(EventJson.text(n, "state"), EventJson.longField(n, "time"));
                            complete = true;
                        }
                        case EventJson.ENVIRONMENT -> store.environment(settings(n));
                        case EventJson.EXECUTOR_LOGS ->
                            store.executorLogs(EventJson.text(n, "executorId"), EventJson.text(n, "logUrl"));
                        default -> {
                            WeftEvent e = EventJson.decode(n);
                            if (e == null) {
                                skipped++;
                            } else {
                                store.onEvent(e);
                            }
                        }
                    }
                } catch (IllegalArgumentException e) {
                    throw new EventLogException(file, lines, e.getMessage(), e);
                }
                line = next;
            }
        }
        if (!complete) {
            store.markIncomplete();
        }
        return new Replay(lines, skipped, complete);
    }

    private static void start(StatusStore store, JsonNode n, Path file, long line) {
        int version = EventJson.intField(n, "version");
        if (version > EventJson.VERSION) {
            throw new EventLogException(
                    file,
                    line,
                    "written in format " + version + "; this reader knows up to " + EventJson.VERSION,
                    null);
        }
        store.applicationStarted(
                EventJson.text(n, "appId"),
                EventJson.text(n, "name"),
                EventJson.text(n, "user"),
                EventJson.intField(n, "attempt"),
                EventJson.longField(n, "time"));
    }

    private static Map<String, String> settings(JsonNode n) {
        Map<String, String> out = new TreeMap<>();
        JsonNode s = n.get("settings");
        if (s == null || !s.isObject()) {
            throw new IllegalArgumentException("\"settings\" is missing or not an object");
        }
        s.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** A line of an event log that is not an event. */
    public static final class EventLogException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        EventLogException(Path file, long line, String message, Throwable cause) {
            super("event log " + file + ", line " + line + ": " + message, cause);
        }
    }
}
