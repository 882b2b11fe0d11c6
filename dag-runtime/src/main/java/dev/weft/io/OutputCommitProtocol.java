package dev.weft.io;

import dev.weft.exec.TaskContext;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * How one job writes one output directory: the driver sets the job up, every partition's task writes and commits its
 * part only when the driver's {@link dev.weft.exec.CommitAuthority} lets it (one attempt per partition), and the driver
 * commits the job (publishing the output with {@code _SUCCESS}) or aborts it (leaving no trace). {@code
 * Dataset.save} drives it; implementations live in format modules (hdfs-io: Weft's own committer for text, raw and
 * record files; Hadoop's OutputCommitter for any Hadoop OutputFormat).
 *
 * <p>A protocol instance is shipped to executors inside the job's result function, so it must be serializable and
 * carry only paths and settings. Implementations state their own thread-safety; {@link Dataset}-style use calls the
 * driver methods from one thread and {@link #writeTask} from many tasks at once.
 */
public interface OutputCommitProtocol extends Serializable {

    /** Builds the protocol for one job writing {@code path}, named by {@code jobToken} (see {@link #jobToken(String, int)}). */
    @FunctionalInterface
    interface Factory extends Serializable {
        OutputCommitProtocol open(String path, String jobToken);
    }

    /** The token this job's staging names carry. */
    String jobToken();

    /** Driver, before any task: refuses an existing output and prepares the staging area. */
    void setupJob(Configuration conf) throws IOException;

    /**
     * Executor: writes one partition and commits it if the driver allows.
     *
     * @return records written
     * @throws CommitDeniedException when another attempt of the partition commits instead, or the job already ended
     */
    long writeTask(Iterator<?> records, TaskContext task) throws IOException;

    /** Driver, after every partition committed: publishes the output (with {@code _SUCCESS}). */
    void commitJob(Configuration conf, int numPartitions) throws IOException;

    /** Driver, when the job failed: removes what the job wrote; the output is never left half written. */
    void abortJob(Configuration conf) throws IOException;

    /**
     * Driver of a restarted application: whether an earlier attempt's staging area under this job token is there to
     * be resumed (committed partitions kept). Protocols that cannot resume answer false.
     */
    default boolean canResume(Configuration conf) throws IOException {
        return false;
    }

    /** The partitions of {@code numPartitions} not committed in a resumable staging area yet. */
    default int[] uncommittedPartitions(Configuration conf, int numPartitions) throws IOException {
        return java.util.stream.IntStream.range(0, numPartitions).toArray();
    }

    /** Whether the output exists with its {@code _SUCCESS} marker. */
    boolean isCommitted(Configuration conf) throws IOException;

    /**
     * Driver of a restarted application (attempt 2 on): removes staging areas earlier attempts of {@code
     * application} left when they died, keeping the one of job token {@code keep}.
     *
     * @return what was removed
     */
    default List<Path> removeStagingOfEarlierAttempts(Configuration conf, String application, int attempt, String keep)
            throws IOException {
        return List.of();
    }

    /**
     * A job token for one job of {@code application}'s driver attempt {@code attempt} (empty application: no YARN
     * application, just a unique token): {@code <application>.<attempt>-<uuid>}, which a later attempt recognises as
     * an earlier attempt's.
     */
    static String jobToken(String application, int attempt) {
        String unique = UUID.randomUUID().toString();
        return application.isEmpty() ? unique : application + "." + attempt + "-" + unique;
    }
}
