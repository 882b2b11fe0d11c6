package dev.weft.yarn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client's progress lines: one per running stage, e.g. {@code [stage 3 reduceByKey at WordCount.java:42]
 * 120/200 tasks, 8 running, 2 failed}, read from the driver's {@code api/v1/progress} through the tracking link (the
 * ResourceManager's web proxy). On a terminal the block of lines is redrawn in place; otherwise a stage's line is
 * printed when it changes. Every other line of the client goes through {@link #println} so that a redraw never
 * overwrites it.
 *
 * <p>Where the driver's UI cannot be reached (a proxy that asks for authentication, a firewall), the client says so
 * once and goes on with the ResourceManager's percentage.
 *
 * <p>Confined to the client's thread.
 */
final class StageProgressPrinter {
    /** Fetches a URL's body, or null when it does not answer 200. */
    interface Fetcher {
        String get(String url) throws IOException;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int TIMEOUT_MS = 3_000;
    private static final int FAILURES_BEFORE_SAYING = 3;

    private final PrintStream out;
    private final boolean terminal;
    private final Fetcher fetcher;
    private final Map<String, String> printed = new HashMap<>();
    private int drawn;
    private int failuresInARow;
    private boolean unavailableSaid;

    StageProgressPrinter(PrintStream out, boolean terminal, Fetcher fetcher) {
        this.out = out;
        this.terminal = terminal;
        this.fetcher = fetcher;
    }

    static StageProgressPrinter forConsole(PrintStream out) {
        return new StageProgressPrinter(out, System.console() != null, StageProgressPrinter::httpGet);
    }

    /** A line of the client's own, printed below the progress block (which is drawn again afresh). */
    void println(String line) {
        out.println(line);
        drawn = 0;
    }

    /** Reads the driver's progress at {@code trackingUrl} (ending with a slash) and shows it. */
    void poll(String trackingUrl) {
        String body;
        try {
            body = fetcher.get(trackingUrl + "api/v1/progress");
        } catch (IOException | RuntimeException e) {
            unavailable(e.toString());
            return;
        }
        if (body == null) {
            unavailable("no answer");
            return;
        }
        failuresInARow = 0;
        List<String[]> lines;
        try {
            lines = lines(MAPPER.readTree(body));
        } catch (IOException | RuntimeException e) {
            unavailable("unreadable answer: " + e.getMessage());
            return;
        }
        show(lines);
    }

    /** The progress lines of a {@code api/v1/progress} answer: each a stage key and its text. */
    static List<String[]> lines(JsonNode progress) {
        List<String[]> lines = new ArrayList<>();
        for (JsonNode s : progress.path("activeStages")) {
            int id = s.path("stageId").asInt();
            int attempt = s.path("attempt").asInt();
            String key = id + "." + attempt;
            String text = String.format(
                    Locale.ROOT,
                    "[stage %s %s] %d/%d tasks, %d running, %d failed",
                    attempt == 0 ? String.valueOf(id) : key,
                    s.path("name").asText(),
                    s.path("succeededTasks").asInt(),
                    s.path("numTasks").asInt(),
                    s.path("runningTasks").asInt(),
                    s.path("failedTasks").asInt());
            lines.add(new String[] {key, text});
        }
        return lines;
    }

    private void show(List<String[]> lines) {
        if (terminal) {
            StringBuilder sb = new StringBuilder();
            if (drawn > 0) {
                sb.append("\033[").append(drawn).append('A');
            }
            for (String[] l : lines) {
                sb.append("\r\033[K").append(l[1]).append('\n');
            }
            for (int i = lines.size(); i < drawn; i++) {
                sb.append("\r\033[K\n");
            }
            out.print(sb);
            out.flush();
            drawn = Math.max(drawn, lines.size());
            return;
        }
        for (String[] l : lines) {
            if (!l[1].equals(printed.put(l[0], l[1]))) {
                out.println(l[1]);
            }
        }
    }

    /** Says so once the UI failed {@value #FAILURES_BEFORE_SAYING} polls in a row (one may race its start). */
    private void unavailable(String why) {
        if (++failuresInARow >= FAILURES_BEFORE_SAYING && !unavailableSaid) {
            unavailableSaid = true;
            println("weft: stage progress is not available from the driver's UI (" + why + "); showing the"
                    + " ResourceManager's progress only");
        }
    }

    static String httpGet(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(TIMEOUT_MS);
        c.setReadTimeout(TIMEOUT_MS);
        c.setRequestProperty("Accept", "application/json");
        try {
            if (c.getResponseCode() != 200) {
                return null;
            }
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            c.disconnect();
        }
    }
}
