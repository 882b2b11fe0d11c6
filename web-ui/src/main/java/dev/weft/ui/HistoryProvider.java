package dev.weft.ui;

import static dev.weft.ui.Html.esc;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The history server's applications: the event logs in one directory, each replayed into a {@link StatusStore} on
 * first use and replayed again when its file changed (a log still written grows; a finished one is renamed).
 *
 * <p>Thread-safe: requests arrive on the web server's threads; a replay runs on the asking thread.
 */
final class HistoryProvider {
    private final FileSystem fs;
    private final Path dir;
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

    private record Loaded(EventLogs.Entry entry, StatusStore store) {}

    HistoryProvider(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The store of {@code appId}'s latest attempt, replayed if its log is new or changed; empty if none. */
    Optional<StatusStore> store(String appId) throws IOException {
        EventLogs.Entry entry = EventLogs.latestAttempts(fs, dir).get(appId);
        if (entry == null) {
            return Optional.empty();
        }
        Loaded l = loaded.get(appId);
        if (l != null && l.entry().equals(entry)) {
            return Optional.of(l.store());
        }
        StatusStore store = new StatusStore();
        EventLogs.replay(fs, entry.path(), store);
        loaded.put(appId, new Loaded(entry, store));
        return Optional.of(store);
    }

    String listPage() throws IOException {
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Weft history"
                        + "</title><style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
                        + "th,td{border:1px solid #ccc;padding:.25em .6em;font-size:13px}</style></head><body>"
                        + "<h1>Weft history</h1><p>Event logs in ")
                .append(esc(dir.toString()))
                .append("</p><table id=\"applications\"><tr><th>Application</th><th>Attempt</th><th>Log</th>"
                        + "<th>Size</th><th>Last written</th></tr>");
        for (EventLogs.Entry e : EventLogs.latestAttempts(fs, dir).values()) {
            sb.append("<tr><td><a href=\"history/")
                    .append(esc(e.appId()))
                    .append("/\">")
                    .append(esc(e.appId()))
                    .append("</a></td><td>")
                    .append(e.attempt())
                    .append("</td><td>")
                    .append(e.inProgress() ? "in progress or incomplete" : "complete")
                    .append("</td><td>")
                    .append(Html.bytes(e.length()))
                    .append("</td><td>")
                    .append(Html.time(e.modificationTime()))
                    .append("</td></tr>");
        }
        return sb.append("</table></body></html>").toString();
    }
}
