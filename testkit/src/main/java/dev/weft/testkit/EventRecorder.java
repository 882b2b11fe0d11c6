package dev.weft.testkit;

import dev.weft.conf.WeftConf;
import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs in the driver of a job the kit submitted (added through {@code weft.listeners}): records every event to
 * {@code <weft.testkit.events.dir>/events} ({@link EventCodec} lines, flushed to readers at every job, stage and
 * executor event, every 32 task events and at a pause) and pauses the driver at the job's {@linkplain FaultPoint
 * fault points}.
 *
 * <p>A pause, unlike what {@link WeftListener} asks of listeners, blocks the scheduler thread on purpose: that is
 * what holds the job at the point. The recorder creates {@code paused/<spec>} and waits until the test creates
 * {@code resume/<spec>} ({@link SubmittedJob#resume}), or {@code weft.testkit.pause.timeout} passes.
 *
 * <p>Confined to the scheduler thread, except {@link #close}, which the context calls after the scheduler stopped.
 */
public final class EventRecorder implements WeftListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private static final int TASK_EVENTS_PER_FLUSH = 32;
    private static final long RESUME_POLL_MILLIS = 20;

    private final FileSystem fs;
    private final Path dir;
    private final FSDataOutputStream out;
    private final List<FaultPoint> pending;
    private final long pauseTimeoutMillis;
    private final Map<Integer, Integer> succeededByStage = new HashMap<>();
    private int unflushed;

    public EventRecorder(WeftConf conf, Configuration hadoopConf) throws IOException {
        String events = conf.get(TestkitConfigKeys.EVENTS_DIR);
        if (events == null) {
            throw new IllegalArgumentException(
                    TestkitConfigKeys.EVENTS_DIR.name() + " is not set: the recorder has nowhere to write");
        }
        this.dir = new Path(events);
        this.fs = dir.getFileSystem(hadoopConf);
        this.pending = new ArrayList<>(conf.get(TestkitConfigKeys.PAUSE_AT));
        this.pauseTimeoutMillis = conf.get(TestkitConfigKeys.PAUSE_TIMEOUT);
        this.out = fs.create(new Path(dir, "events"), true);
        out.hflush();
    }

    /** Where the recorder of a job writes, under the kit's events directory {@code dir}. */
    static Path eventsFile(Path dir) {
        return new Path(dir, "events");
    }

    static Path pausedMarker(Path dir, FaultPoint p) {
        return new Path(new Path(dir, "paused"), p.spec());
    }

    static Path resumeMarker(Path dir, FaultPoint p) {
        return new Path(new Path(dir, "resume"), p.spec());
    }

    @Override
    public void onEvent(WeftEvent event) {
        try {
            out.write((EventCodec.encode(event) + "\n").getBytes(StandardCharsets.UTF_8));
            if (!(event instanceof WeftEvent.TaskStateChanged) || ++unflushed >= TASK_EVENTS_PER_FLUSH) {
                out.hflush();
                unflushed = 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record an event in " + dir, e);
        }
        for (FaultPoint p : List.copyOf(pending)) {
            if (p.reachedBy(event, succeededBefore(p))) {
                pending.remove(p);
                pause(p);
            }
        }
        if (event instanceof WeftEvent.TaskStateChanged t && t.to() == dev.weft.events.TaskState.SUCCEEDED) {
            succeededByStage.merge(t.stageId(), 1, Integer::sum);
        }
    }

    private int succeededBefore(FaultPoint p) {
        return succeededByStage.getOrDefault(p.id(), 0);
    }

    private void pause(FaultPoint p) {
        try {
            out.hflush();
            unflushed = 0;
            fs.create(pausedMarker(dir, p), true).close();
            LOG.info("testkit: paused at {} until the test resumes the job", p);
            long deadline = System.nanoTime() + pauseTimeoutMillis * 1_000_000L;
            Path resume = resumeMarker(dir, p);
            while (!fs.exists(resume)) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("testkit: no resume at {} within {} ms; going on", p, pauseTimeoutMillis);
                    return;
                }
                Thread.sleep(RESUME_POLL_MILLIS);
            }
            LOG.info("testkit: resumed at {}", p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pause at " + p + " in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("testkit: interrupted while paused at {}", p);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
