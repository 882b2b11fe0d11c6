package dev.weft.ui;

import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the driver's events to {@code <dir>/<appId>_<attempt>.inprogress} as {@link EventJson} lines while the
 * application runs and renames the file to {@code <appId>_<attempt>} when it ends, so a reader can tell a finished log
 * from one still written (or left by a driver that died). Lines reach readers (hflush) at every job, stage and
 * executor event and every {@value #TASK_EVENTS_PER_FLUSH} task events.
 *
 * <p>The file is created {@code rw-r-----}: its owner (the job's user) and the directory's group (where a history
 * server runs) read it, other tenants do not. A failure to write after the start is logged once and ends logging; it
 * never fails the job.
 *
 * <p>Thread-safe: events arrive on the scheduler thread, the start and the end on the driver's main thread.
 */
public final class EventLogWriter implements WeftListener {
    private static final Logger LOG = LoggerFactory.getLogger(EventLogWriter.class);
    static final String IN_PROGRESS = ".inprogress";
    private static final int TASK_EVENTS_PER_FLUSH = 64;
    private static final FsPermission FILE_PERMISSION = new FsPermission((short) 0640);

    private final FileSystem fs;
    private final Path inProgress;
    private final Path finished;
    private FSDataOutputStream out;
    private int unflushed;

    private EventLogWriter(FileSystem fs, Path inProgress, Path finished, FSDataOutputStream out) {
        this.fs = fs;
        this.inProgress = inProgress;
        this.finished = finished;
        this.out = out;
    }

    /**
     * Creates the log of attempt {@code attempt} of {@code appId} in {@code dir} and writes its first line.
     *
     * @throws IOException naming the directory when it does not exist or cannot be written: a job asked for an event
     *     log must not run without one unnoticed
     */
    public static EventLogWriter start(
            FileSystem fs, Path dir, String appId, String name, String user, int attempt, long time)
            throws IOException {
        if (!fs.exists(dir)) {
            throw new FileNotFoundException("the event log directory " + dir + " (" + UiConfigKeys.EVENT_LOG_DIR.name()
                    + ") does not exist: create it (mode 1777, as for a shared history) or unset the key");
        }
        String base = EventLogs.fileName(appId, attempt);
        Path inProgress = new Path(dir, base + IN_PROGRESS);
        FSDataOutputStream out;
        try {
            out = fs.create(
                    inProgress,
                    FILE_PERMISSION,
                    true,
                    fs.getConf().getInt("io.file.buffer.size", 4096),
                    fs.getDefaultReplication(inProgress),
                    fs.getDefaultBlockSize(inProgress),
                    null);
        } catch (IOException e) {
            throw new IOException("cannot create the event log " + inProgress + ": " + e.getMessage(), e);
        }
        EventLogWriter w = new EventLogWriter(fs, inProgress, new Path(dir, base), out);
        w.writeLine(EventJson.applicationStart(appId, name, user, attempt, time), true);
        return w;
    }

    public Path file() {
        return inProgress;
    }

    public synchronized void environment(Map<String, String> shownSettings, long time) {
        writeLine(EventJson.environment(shownSettings, time), true);
    }

    public synchronized void executorLogs(String executorId, String logUrl, long time) {
        writeLine(EventJson.executorLogs(executorId, logUrl, time), true);
    }

    @Override
    public synchronized void onEvent(WeftEvent event) {
        boolean flush = !(event instanceof WeftEvent.TaskStateChanged) || ++unflushed >= TASK_EVENTS_PER_FLUSH;
        writeLine(EventJson.encode(event), flush);
    }

    /**
     * Writes the last line and gives the log its final name.
     *
     * @return the log's final path, or its in-progress path when it could not be completed
     */
    public synchronized Path finish(String finalState, long time) {
        writeLine(EventJson.applicationEnd(finalState, time), true);
        if (out == null) {
            return inProgress;
        }
        try {
            out.close();
            out = null;
            if (!fs.rename(inProgress, finished)) {
                LOG.warn(
                        "cannot rename the event log {} to {}; the history shows it as incomplete",
                        inProgress,
                        finished);
                return inProgress;
            }
            return finished;
        } catch (IOException e) {
            LOG.warn("cannot complete the event log {}: {}", inProgress, e.toString());
            return inProgress;
        }
    }

    private void writeLine(String line, boolean flush) {
        if (out == null) {
            return;
        }
        try {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            if (flush) {
                out.hflush();
                unflushed = 0;
            }
        } catch (IOException e) {
            LOG.warn("cannot write the event log {}; no more events are logged: {}", inProgress, e.toString());
            try {
                out.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one worth reporting
            }
            out = null;
        }
    }
}
