package dev.weft.yarn;

import dev.weft.scheduler.DriverJournal;
import dev.weft.scheduler.JournalFile;
import dev.weft.scheduler.JournalReplay;
import dev.weft.scheduler.ShuffleLineage;
import dev.weft.shuffle.MapStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver journal of a driver the ResourceManager may restart ({@code weft.yarn.driver.max-attempts} > 1), in the
 * application's staging directory (readable by its user only): each attempt appends to {@code journal/attempt-<n>},
 * flushed to the DataNodes ({@code hflush}) after every record, i.e. at every completed map stage and output begun or
 * committed; a later attempt
 * reads the files of all earlier ones. A journal that belongs to another application, or is not one, is refused and
 * the attempt starts afresh; a torn last record (the driver died writing it) loses that record only.
 *
 * <p>A journal that cannot be written costs only what it would have saved: the failure is logged once and the job
 * goes on unjournaled. Thread-safe: appends are synchronized; the replay is immutable.
 */
final class HdfsDriverJournal implements DriverJournal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HdfsDriverJournal.class);

    private final JournalReplay replay;
    private final Path file;
    private FSDataOutputStream out;

    private HdfsDriverJournal(JournalReplay replay, Path file, FSDataOutputStream out) {
        this.replay = replay;
        this.file = file;
        this.out = out;
    }

    /** The journal directory under an application's staging directory. */
    static Path directory(String stagingAppDir) {
        return new Path(stagingAppDir, "journal");
    }

    /**
     * Reads the journals of attempts before {@code attempt} and starts this attempt's.
     *
     * @param servable whether outputs of an application (its id) can still be read (see {@link JournalReplay})
     */
    static HdfsDriverJournal open(Configuration conf, Path dir, String appId, int attempt, Predicate<String> servable)
            throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        List<JournalFile.Contents> earlier = new ArrayList<>();
        for (int a = 1; a < attempt; a++) {
            Path p = new Path(dir, "attempt-" + a);
            if (!fs.exists(p)) {
                continue;
            }
            try (FSDataInputStream in = fs.open(p)) {
                JournalFile.Contents c = JournalFile.read(in, appId, p.toString());
                if (c.damage() != null) {
                    LOG.warn("{}; replaying the {} whole records before it", c.damage(), c.records());
                }
                earlier.add(c);
            } catch (JournalFile.ForeignJournalException e) {
                LOG.error("not replaying {}: {}; this attempt starts afresh", p, e.getMessage());
            }
        }
        JournalReplay replay = new JournalReplay(earlier, servable);
        if (attempt > 1) {
            LOG.info("driver attempt {}: earlier attempts journaled {} completed shuffles", attempt, replay.size());
        }
        Path file = new Path(dir, "attempt-" + attempt);
        FSDataOutputStream out = null;
        try {
            out = fs.create(file, true);
            out.write(JournalFile.header(appId));
            out.hflush();
        } catch (IOException e) {
            LOG.warn(
                    "cannot start the driver journal {} (a restarted driver will compute everything again): {}",
                    file,
                    e.toString());
            closeQuietly(out);
            out = null;
        }
        return new HdfsDriverJournal(replay, file, out);
    }

    @Override
    public Optional<List<MapStatus>> recoveredShuffle(ShuffleLineage shuffle) {
        return replay.lookup(shuffle);
    }

    @Override
    public List<java.util.Map<Long, Object>> recoveredAccumulatorUpdates(ShuffleLineage shuffle) {
        return replay.accumulatorUpdates(shuffle);
    }

    @Override
    public synchronized void shuffleCompleted(
            ShuffleLineage shuffle, List<MapStatus> statuses, List<java.util.Map<Long, Object>> updates) {
        append(JournalFile.shuffleCompleted(shuffle, statuses, updates));
    }

    @Override
    public Optional<EarlierOutput> earlierOutput(String path, String fingerprint, int partitions) {
        return replay.earlierOutput(path, fingerprint, partitions);
    }

    @Override
    public synchronized void outputStarted(String path, String jobToken, String fingerprint, int partitions) {
        append(JournalFile.outputStarted(path, jobToken, fingerprint, partitions));
    }

    @Override
    public synchronized void outputCommitted(String path, String jobToken) {
        append(JournalFile.outputCommitted(path, jobToken));
    }

    private void append(byte[] record) {
        if (out == null) {
            return;
        }
        try {
            out.write(record);
            out.hflush();
        } catch (IOException e) {
            LOG.warn("cannot append to the driver journal {}; journaling stops: {}", file, e.toString());
            closeQuietly(out);
            out = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(out);
        out = null;
    }

    private static void closeQuietly(FSDataOutputStream s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing the driver journal: {}", e.toString());
            }
        }
    }
}
