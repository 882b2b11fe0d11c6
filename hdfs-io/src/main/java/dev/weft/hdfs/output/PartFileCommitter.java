package dev.weft.hdfs.output;

import dev.weft.exec.CommitAuthority;
import dev.weft.exec.TaskContext;
import dev.weft.io.CommitDeniedException;
import dev.weft.io.OutputCommitProtocol;
import dev.weft.io.OutputPathException;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a dataset as part files, one per partition, in a {@link PartFormat} (text lines, optionally compressed; raw
 * fixed-length records), and publishes them all at once:
 * <pre>
 *   parent/.out.weft-&lt;job&gt;/attempts/&lt;partition&gt;-&lt;taskAttemptId&gt;   (an attempt writes)
 *   parent/.out.weft-&lt;job&gt;/out/part-NNNNN[.ext]                     (task commit: one rename, not replacing on HDFS)
 *   parent/.out.weft-&lt;job&gt;/out/_SUCCESS, then renamed to parent/out   (job commit: one rename)
 * </pre>
 * Rules, and why:
 * <ul>
 *   <li>An attempt commits only when the driver says it may ({@link CommitAuthority}): one attempt per partition
 *       is told yes, so two attempts finishing at once never both rename. An attempt told no discards its file and
 *       ends with {@link CommitDeniedException} (killed, not failed).
 *   <li>The task-commit rename does not replace a file on HDFS: if an earlier authorised attempt renamed and then
 *       died before reporting, the partition is already committed, with the same records, and the later attempt
 *       keeps it (a local file system replaces it with the same records).
 *   <li>Attempts create files without creating directories, and renames need the target's directory: once the job
 *       committed or aborted (the staging directory removed), a late attempt can neither bring it back nor write
 *       anything.
 *   <li>The job commit is one directory rename onto a name that does not exist: a reader sees no output, then all
 *       of it with {@code _SUCCESS}; a driver dying mid-commit leaves nothing under the final name. An aborted job
 *       removes the staging directory and never created the output.
 * </ul>
 * Stateless apart from its paths; thread-safe.
 */
public final class PartFileCommitter implements OutputCommitProtocol {
    public static final String SUCCESS = "_SUCCESS";
    private final String outputDir;
    private final String jobToken;
    private final PartFormat format;

    /**
     * @param jobToken unique per job writing this output (e.g. a random UUID), so a job never meets the leftovers of
     *     another that wrote the same path and died
     */
    public PartFileCommitter(String outputDir, String jobToken) {
        this(outputDir, jobToken, PartFormat.TextLines.PLAIN);
    }

    /** A committer writing {@code format}'s part files. */
    public PartFileCommitter(String outputDir, String jobToken, PartFormat format) {
        this.format = Objects.requireNonNull(format, "format is null");
        this.outputDir = Objects.requireNonNull(outputDir, "outputDir is null");
        this.jobToken = Objects.requireNonNull(jobToken, "jobToken is null");
        if (jobToken.isEmpty() || jobToken.contains("/")) {
            throw new IllegalArgumentException("jobToken must be a non-empty path name: '" + jobToken + "'");
        }
        if (new Path(outputDir).getParent() == null) {
            throw new IllegalArgumentException("the output path must not be a file system's root: " + outputDir);
        }
    }

    /** The factory of committers of one format, for {@code Dataset.save}. */
    public static OutputCommitProtocol.Factory factory(PartFormat format) {
        Objects.requireNonNull(format, "format is null");
        return (path, token) -> new PartFileCommitter(path, token, format);
    }

    /** The token naming this job's staging directory. */
    @Override
    public String jobToken() {
        return jobToken;
    }

    /** Driver, before the job: the output must not exist yet (no silent overwrite or mixing of outputs). */
    @Override
    public void setupJob(Configuration conf) throws IOException {
        Path out = new Path(outputDir);
        FileSystem fs = out.getFileSystem(conf);
        if (fs.exists(out)) {
            throw new OutputPathException("output path already exists: " + fs.makeQualified(out));
        }
        for (Path dir : new Path[] {attempts(), staged()}) {
            if (!fs.mkdirs(dir)) {
                throw new IOException("cannot create " + dir);
            }
        }
    }

    @Override
    public long writeTask(Iterator<?> records, TaskContext task) throws IOException {
        return writeAndCommitTask(
                records,
                task.stageId(),
                task.partitionId(),
                task.taskAttemptId(),
                task.env().commitAuthority(),
                task.env().hadoopConf());
    }

    /**
     * Executor: writes one partition into the attempt's file, then commits it if the driver allows.
     *
     * @return lines written
     * @throws CommitDeniedException when another attempt of the partition commits instead, or the job already ended
     */
    public long writeAndCommitTask(
            Iterator<?> records,
            int stageId,
            int partition,
            long taskAttemptId,
            CommitAuthority authority,
            Configuration conf)
            throws IOException {
        Path attemptFile = new Path(attempts(), partition + "-" + taskAttemptId);
        FileSystem fs = attemptFile.getFileSystem(conf);
        long n;
        try (FSDataOutputStream os = createInExistingDir(fs, attemptFile)) {
            BufferedOutputStream buffered = new BufferedOutputStream(os, 1 << 16);
            n = format.write(records, buffered, conf);
            buffered.flush();
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.metrics().outputBytes += os.getPos();
                task.metrics().outputRecords += n;
            }
        } catch (IOException | RuntimeException e) {
            fs.delete(attemptFile, false);
            throw e;
        }
        try {
            if (!authority.canCommit(stageId, partition, taskAttemptId)) {
                throw new CommitDeniedException("the driver let another attempt commit partition " + partition
                        + " of stage " + stageId + " (or no longer counts attempt " + taskAttemptId + " as running)");
            }
            Path committed = new Path(staged(), partFile(partition));
            // FileSystem#rename, not FileContext (which builds a new HDFS client per call): a file renamed onto an
            // existing file fails on HDFS, atomically. The attempt's file lies inside the staging directory, so once
            // the job committed or aborted there is nothing left to rename.
            if (!fs.rename(attemptFile, committed)) {
                if (!fs.exists(committed)) {
                    throw new CommitDeniedException(
                            "the job's staging directory is gone (the job committed or aborted): cannot rename "
                                    + attemptFile + " to " + committed);
                }
                // An earlier authorised attempt renamed, then died before reporting: same partition, same records.
            }
            return n;
        } finally {
            fs.delete(attemptFile, false); // gone after a rename; the attempt's own file otherwise
        }
    }

    /**
     * Driver, after every task succeeded and no attempt can still commit: checks every partition is there, marks
     * the output complete and publishes it with one rename.
     */
    @Override
    public void commitJob(Configuration conf, int numPartitions) throws IOException {
        Path out = new Path(outputDir);
        FileSystem fs = out.getFileSystem(conf);
        for (int p = 0; p < numPartitions; p++) {
            Path committed = new Path(staged(), partFile(p));
            if (!fs.exists(committed)) {
                throw new IOException("task output of partition " + p + " is missing at commit: " + committed);
            }
        }
        fs.create(new Path(staged(), SUCCESS), false).close();
        try {
            renameNeverReplacing(fs, staged(), out, conf);
        } catch (FileAlreadyExistsException e) {
            throw new OutputPathException(
                    "output path was created by someone else while the job ran: " + fs.makeQualified(out));
        }
        fs.delete(staging(), true);
    }

    /** Driver, when the job failed: removes everything the job wrote; the output itself was never created. */
    @Override
    public void abortJob(Configuration conf) throws IOException {
        Path staging = staging();
        staging.getFileSystem(conf).delete(staging, true);
    }

    /**
     * Driver of a restarted application (attempt 2 on): removes the staging directories that earlier attempts of
     * {@code application} left beside this output when they died (named by {@link #jobToken}), so that they are not
     * mistaken for anything. Directories of other applications and of this attempt are left alone.
     *
     * @return the directories removed
     */
    public java.util.List<Path> removeStagingOfEarlierAttempts(Configuration conf, String application, int attempt)
            throws IOException {
        return removeStagingOfEarlierAttempts(conf, application, attempt, "");
    }

    /**
     * {@link #removeStagingOfEarlierAttempts(Configuration, String, int)}, keeping the staging directory of job token
     * {@code keep} (one this attempt resumes).
     */
    @Override
    public java.util.List<Path> removeStagingOfEarlierAttempts(
            Configuration conf, String application, int attempt, String keep) throws IOException {
        String kept = "." + new Path(outputDir).getName() + ".weft-" + keep;
        Path out = new Path(outputDir);
        FileSystem fs = out.getFileSystem(conf);
        java.util.List<Path> removed = new java.util.ArrayList<>();
        if (!fs.exists(out.getParent())) {
            return removed;
        }
        String prefix = "." + out.getName() + ".weft-" + application + ".";
        for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(out.getParent())) {
            String name = st.getPath().getName();
            if (!st.isDirectory() || !name.startsWith(prefix) || name.equals(kept)) {
                continue;
            }
            String rest = name.substring(prefix.length());
            int dash = rest.indexOf('-');
            Integer earlier = dash > 0 ? parseAttempt(rest.substring(0, dash)) : null;
            if (earlier != null && earlier < attempt && fs.delete(st.getPath(), true)) {
                removed.add(st.getPath());
            }
        }
        return removed;
    }

    /**
     * Driver of a restarted application: whether this job's staging directory (an earlier attempt's, same token) is
     * there to be resumed, i.e. it holds a task-commit directory and the output does not exist yet.
     */
    @Override
    public boolean canResume(Configuration conf) throws IOException {
        Path out = new Path(outputDir);
        FileSystem fs = out.getFileSystem(conf);
        return !fs.exists(out) && fs.isDirectory(staged()) && fs.isDirectory(attempts());
    }

    /** The partitions of {@code numPartitions} whose task output is not committed in the staging directory yet. */
    @Override
    public int[] uncommittedPartitions(Configuration conf, int numPartitions) throws IOException {
        FileSystem fs = staged().getFileSystem(conf);
        return java.util.stream.IntStream.range(0, numPartitions)
                .filter(p -> {
                    try {
                        return !fs.exists(new Path(staged(), partFile(p)));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .toArray();
    }

    /** Whether the output exists with its {@code _SUCCESS} marker. */
    @Override
    public boolean isCommitted(Configuration conf) throws IOException {
        Path out = new Path(outputDir);
        return out.getFileSystem(conf).exists(new Path(out, SUCCESS));
    }

    private static Integer parseAttempt(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@link OutputCommitProtocol#jobToken(String, int)}. */
    public static String jobToken(String application, int attempt) {
        return OutputCommitProtocol.jobToken(application, attempt);
    }

    String partFile(int partition) {
        return String.format(Locale.ROOT, "part-%05d", partition) + format.extension();
    }

    /** The job's own directory, beside the output and hidden from Hadoop's input listings (a leading dot). */
    Path staging() {
        Path out = new Path(outputDir);
        return new Path(out.getParent(), "." + out.getName() + ".weft-" + jobToken);
    }

    private Path attempts() {
        return new Path(staging(), "attempts");
    }

    private Path staged() {
        return new Path(staging(), "out");
    }

    /**
     * Renames {@code from} to {@code to}, failing with {@link FileAlreadyExistsException} when {@code to} exists
     * (never replacing it, never moving {@code from} inside it as {@link FileSystem#rename} does with a directory)
     * and with {@link FileNotFoundException} when {@code to}'s directory does not. Atomic on HDFS. Once per job: a
     * FileContext makes a client of its own.
     */
    private static void renameNeverReplacing(FileSystem fs, Path from, Path to, Configuration conf) throws IOException {
        FileContext.getFileContext(fs.getUri(), conf).rename(fs.makeQualified(from), fs.makeQualified(to));
    }

    private static FSDataOutputStream createInExistingDir(FileSystem fs, Path file) throws IOException {
        try {
            return fs.createNonRecursive(
                    file, false, 1 << 16, fs.getDefaultReplication(file), fs.getDefaultBlockSize(file), null);
        } catch (FileNotFoundException jobEnded) {
            throw new CommitDeniedException(
                    "the job's staging directory is gone (the job committed or aborted): " + jobEnded.getMessage());
        }
    }

    /** Files of a committed output directory, for tests and tools. */
    public static FileStatus[] parts(Configuration conf, String outputDir) throws IOException {
        Path out = new Path(outputDir);
        return out.getFileSystem(conf).listStatus(out, p -> p.getName().startsWith("part-"));
    }
}
