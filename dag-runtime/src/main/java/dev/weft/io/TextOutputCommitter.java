package dev.weft.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a dataset as text files with the layout of Hadoop's FileOutputCommitter (v1):
 * <pre>
 *   out/_temporary/0/_temporary/attempt_&lt;job&gt;_&lt;partition&gt;_&lt;taskAttemptId&gt;/part-NNNNN  (task writes)
 *   out/_temporary/0/task_&lt;partition&gt;/part-NNNNN                                    (task commit)
 *   out/part-NNNNN, out/_SUCCESS                                                       (job commit)
 * </pre>
 * An attempt that fails leaves only its own attempt directory; the first attempt of a partition to commit
 * wins and later ones discard their file, never commit beside it; nothing reaches {@code out/} before the
 * job commits, nothing is written under {@code out/_temporary} after it, and an aborted job removes what it
 * wrote. Stateless apart from its paths; thread-safe.
 */
public final class TextOutputCommitter implements Serializable {
    public static final String SUCCESS = "_SUCCESS";
    private final String outputDir;
    private final int jobId;

    public TextOutputCommitter(String outputDir, int jobId) {
        this.outputDir = Objects.requireNonNull(outputDir, "outputDir is null");
        this.jobId = jobId;
    }

    /** Driver, before the job: the output must not exist yet (no silent overwrite or mixing of outputs). */
    public void setupJob(Configuration conf) throws IOException {
        Path out = new Path(outputDir);
        FileSystem fs = out.getFileSystem(conf);
        if (fs.exists(out)) {
            throw new OutputPathException("output path already exists: " + fs.makeQualified(out));
        }
        if (!fs.mkdirs(jobTemp())) {
            throw new IOException("cannot create " + jobTemp());
        }
    }

    /** Executor: writes one partition into the attempt's directory, then commits it. Returns lines written. */
    public long writeAndCommitTask(Iterator<?> records, int partition, long taskAttemptId, Configuration conf)
            throws IOException {
        Path attemptDir = new Path(jobTemp(), "_temporary/attempt_" + jobId + "_" + partition + "_" + taskAttemptId);
        Path attemptFile = new Path(attemptDir, partFile(partition));
        FileSystem fs = attemptFile.getFileSystem(conf);
        if (!fs.exists(jobTemp())) {
            return 0; // the job already committed or aborted: a late attempt writes nothing (see below)
        }
        long n = 0;
        try (FSDataOutputStream os = fs.create(attemptFile, true);
                Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
            while (records.hasNext()) {
                w.write(String.valueOf(records.next()));
                w.write('\n');
                n++;
            }
        } catch (IOException | RuntimeException e) {
            fs.delete(attemptDir, true);
            throw e;
        }
        Path taskDir = new Path(jobTemp(), "task_" + partition);
        Path committed = new Path(taskDir, partFile(partition));
        // The first attempt to commit a partition wins; later ones (a re-run after a lost report, a zombie of a failed
        // stage attempt still running) discard theirs. A committed file is complete (it got there by one rename) and
        // holds the same partition, and never replacing it keeps a late attempt from deleting it while the driver
        // moves it into place. Once the job is committed or aborted its temporary directory is gone, and a late
        // attempt must not create it again.
        // A driver-fenced commit (one authorised attempt per partition, issue 12) would close the remaining window
        // between these checks and the rename.
        if (fs.exists(committed) || !fs.exists(jobTemp())) {
            fs.delete(attemptDir, true);
            return n;
        }
        fs.mkdirs(taskDir);
        if (!fs.rename(attemptFile, committed)) {
            boolean other = fs.exists(committed);
            fs.delete(attemptDir, true);
            if (other) {
                return n; // another attempt committed between the check and the rename
            }
            throw new IOException("cannot commit task output " + attemptFile + " to " + committed);
        }
        fs.delete(attemptDir, true);
        return n;
    }

    /** Driver, after every task succeeded: moves committed files into place and writes _SUCCESS. */
    public void commitJob(Configuration conf, int numPartitions) throws IOException {
        Path out = new Path(outputDir);
        FileSystem fs = out.getFileSystem(conf);
        for (int p = 0; p < numPartitions; p++) {
            Path committed = new Path(jobTemp(), "task_" + p + "/" + partFile(p));
            Path target = new Path(out, partFile(p));
            if (!fs.exists(committed)) {
                throw new IOException("task output of partition " + p + " is missing at commit: " + committed);
            }
            if (!fs.rename(committed, target)) {
                throw new IOException("cannot move " + committed + " to " + target);
            }
        }
        fs.delete(new Path(out, "_temporary"), true);
        fs.create(new Path(out, SUCCESS), true).close();
    }

    /** Driver, when the job failed: removes everything the job wrote. */
    public void abortJob(Configuration conf) throws IOException {
        Path out = new Path(outputDir);
        FileSystem fs = out.getFileSystem(conf);
        fs.delete(out, true);
    }

    static String partFile(int partition) {
        return String.format(Locale.ROOT, "part-%05d", partition);
    }

    private Path jobTemp() {
        return new Path(outputDir, "_temporary/0");
    }

    /** Files of a committed output directory, for tests and tools. */
    public static FileStatus[] parts(Configuration conf, String outputDir) throws IOException {
        Path out = new Path(outputDir);
        return out.getFileSystem(conf).listStatus(out, p -> p.getName().startsWith("part-"));
    }
}
