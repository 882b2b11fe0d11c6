package dev.weft.hdfs.output;

import dev.weft.exec.TaskContext;
import dev.weft.hdfs.hadoop.ShippedConf;
import dev.weft.hdfs.hadoop.Writables;
import dev.weft.io.OutputCommitProtocol;
import dev.weft.io.OutputPathException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.OutputCommitter;
import org.apache.hadoop.mapreduce.OutputFormat;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * Writes key-value pairs through any Hadoop {@code org.apache.hadoop.mapreduce.OutputFormat}, with the format's own
 * OutputCommitter driving the commit as MapReduce drives it: {@code checkOutputSpecs} and {@code setupJob} on the
 * driver; per task {@code setupTask}, the RecordWriter, {@code needsTaskCommit} and {@code commitTask} (only when the
 * driver's commit authority lets this attempt commit its partition; otherwise {@code abortTask}); then {@code
 * commitJob} (FileOutputCommitter writes {@code _SUCCESS}) or {@code abortJob}.
 *
 * <p>A job that fails leaves no output: with FileOutputCommitter's algorithm 2 a committed task's files are already
 * in the output directory, so abort removes the directory this job created (it refused to start when the directory
 * existed). Keys and values are converted by {@link Writables}. Hadoop's job id is {@code job_<yyyyMMddHHmm>_<n>}
 * from the job token, so concurrent jobs never share attempt directories. Immutable; thread-safe.
 */
public final class HadoopOutputProtocol implements OutputCommitProtocol {
    private final String outputDir;
    private final String jobToken;
    private final ShippedConf jobConf;
    private final String jobTrackerId;
    private final int jobNumber;

    /**
     * @param formatClass an {@code org.apache.hadoop.mapreduce.OutputFormat}
     * @param conf the job's settings (codec, committer algorithm, …); the output path and classes are set here
     */
    public HadoopOutputProtocol(
            String outputDir,
            String jobToken,
            Class<?> formatClass,
            Class<?> keyClass,
            Class<?> valueClass,
            Configuration conf) {
        this.outputDir = Objects.requireNonNull(outputDir, "outputDir is null");
        this.jobToken = Objects.requireNonNull(jobToken, "jobToken is null");
        if (!OutputFormat.class.isAssignableFrom(formatClass)) {
            throw new IllegalArgumentException(formatClass.getName()
                    + " is not an org.apache.hadoop.mapreduce.OutputFormat (for the old API use the mapred one)");
        }
        Configuration c = new Configuration(conf);
        c.setClass(MRJobConfig.OUTPUT_FORMAT_CLASS_ATTR, formatClass, OutputFormat.class);
        c.setClass(MRJobConfig.OUTPUT_KEY_CLASS, Writables.writableClassOf(keyClass), Object.class);
        c.setClass(MRJobConfig.OUTPUT_VALUE_CLASS, Writables.writableClassOf(valueClass), Object.class);
        c.set(FileOutputFormat.OUTDIR, new Path(outputDir).toString());
        this.jobConf = new ShippedConf(c);
        this.jobTrackerId = new java.text.SimpleDateFormat("yyyyMMddHHmm", Locale.ROOT).format(new java.util.Date());
        this.jobNumber = Math.floorMod(jobToken.hashCode(), 1_000_000);
    }

    /** The factory for {@code Dataset.save}. */
    public static OutputCommitProtocol.Factory factory(
            Class<?> formatClass, Class<?> keyClass, Class<?> valueClass, Configuration conf) {
        ShippedConf shipped = new ShippedConf(conf);
        return (path, token) -> new HadoopOutputProtocol(path, token, formatClass, keyClass, valueClass, shipped.get());
    }

    @Override
    public String jobToken() {
        return jobToken;
    }

    private JobID jobId() {
        return new JobID(jobTrackerId, jobNumber);
    }

    private JobContext jobContext() {
        return new JobContextImpl(new JobConf(jobConf.get()), jobId());
    }

    private TaskAttemptContext taskContext(int partition, int attempt) {
        TaskAttemptID id = new TaskAttemptID(new TaskID(jobId(), TaskType.REDUCE, partition), attempt);
        Configuration c = new JobConf(jobConf.get());
        c.set(MRJobConfig.TASK_ATTEMPT_ID, id.toString());
        c.set(MRJobConfig.TASK_ID, id.getTaskID().toString());
        c.setInt(MRJobConfig.TASK_PARTITION, partition);
        c.setBoolean(MRJobConfig.TASK_ISMAP, false);
        c.set(MRJobConfig.ID, jobId().toString());
        return new TaskAttemptContextImpl(c, id);
    }

    private OutputFormat<?, ?> format(Configuration c) {
        return ReflectionUtils.newInstance(
                c.getClass(MRJobConfig.OUTPUT_FORMAT_CLASS_ATTR, null, OutputFormat.class), c);
    }

    private OutputCommitter committer(TaskAttemptContext tac) throws IOException {
        try {
            return format(tac.getConfiguration()).getOutputCommitter(tac);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the output committer", e);
        }
    }

    @Override
    public void setupJob(Configuration conf) throws IOException {
        Path out = new Path(outputDir);
        FileSystem fs = out.getFileSystem(jobConf.get());
        if (fs.exists(out)) {
            throw new OutputPathException("output path already exists: " + fs.makeQualified(out));
        }
        JobContext job = jobContext();
        try {
            format(job.getConfiguration()).checkOutputSpecs(job);
        } catch (FileAlreadyExistsException e) {
            throw new OutputPathException("output path already exists: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the output", e);
        }
        committer(taskContext(0, 0)).setupJob(job);
    }

    @Override
    public long writeTask(Iterator<?> records, TaskContext task) throws IOException {
        int attempt = (int) (task.taskAttemptId() & Integer.MAX_VALUE);
        TaskAttemptContext tac = taskContext(task.partitionId(), attempt);
        OutputCommitter committer = committer(tac);
        committer.setupTask(tac);
        return PairRecords.writeAndCommit(records, task, new PairRecords.TaskSteps() {
            RecordWriter<Object, Object> writer;

            @Override
            @SuppressWarnings("unchecked")
            public PairRecords.Sink openWriter() throws IOException, InterruptedException {
                writer = (RecordWriter<Object, Object>)
                        format(tac.getConfiguration()).getRecordWriter(tac);
                return writer::write;
            }

            @Override
            public void closeWriter() throws IOException, InterruptedException {
                writer.close(tac);
            }

            @Override
            public boolean needsTaskCommit() throws IOException {
                return committer.needsTaskCommit(tac);
            }

            @Override
            public void commitTask() throws IOException {
                committer.commitTask(tac);
            }

            @Override
            public void abortTask() throws IOException {
                committer.abortTask(tac);
            }
        });
    }

    @Override
    public void commitJob(Configuration conf, int numPartitions) throws IOException {
        committer(taskContext(0, 0)).commitJob(jobContext());
    }

    @Override
    public void abortJob(Configuration conf) throws IOException {
        JobContext job = jobContext();
        committer(taskContext(0, 0)).abortJob(job, JobStatus.State.FAILED);
        Path out = new Path(outputDir);
        FileSystem fs = out.getFileSystem(jobConf.get());
        if (!isCommitted(conf)) {
            // This job created the directory (setupJob refused an existing one): parts committed by algorithm 2, or
            // by an OutputFormat of another committer, must not outlive the failed job.
            fs.delete(out, true);
        }
    }

    @Override
    public boolean isCommitted(Configuration conf) throws IOException {
        Path out = new Path(outputDir);
        return out.getFileSystem(jobConf.get()).exists(new Path(out, "_SUCCESS"));
    }
}
