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
import org.apache.hadoop.mapred.FileOutputFormat;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.JobContext;
import org.apache.hadoop.mapred.JobContextImpl;
import org.apache.hadoop.mapred.JobID;
import org.apache.hadoop.mapred.OutputCommitter;
import org.apache.hadoop.mapred.OutputFormat;
import org.apache.hadoop.mapred.RecordWriter;
import org.apache.hadoop.mapred.Reporter;
import org.apache.hadoop.mapred.TaskAttemptContext;
import org.apache.hadoop.mapred.TaskAttemptContextImpl;
import org.apache.hadoop.mapred.TaskAttemptID;
import org.apache.hadoop.mapred.TaskID;
import org.apache.hadoop.mapreduce.JobStatus;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.mapreduce.TaskType;

/**
 * {@link HadoopOutputProtocol} for the older {@code org.apache.hadoop.mapred} API: the JobConf's OutputCommitter
 * ({@code mapred.output.committer.class}, FileOutputCommitter by default) drives the commit the same way, and the
 * RecordWriter comes from {@code getRecordWriter(fs, job, "part-NNNNN", reporter)}, which writes under the attempt's
 * work path. Immutable; thread-safe.
 */
public final class MapredOutputProtocol implements OutputCommitProtocol {
    private final String outputDir;
    private final String jobToken;
    private final ShippedConf jobConf;
    private final String jobTrackerId;
    private final int jobNumber;

    public MapredOutputProtocol(
            String outputDir,
            String jobToken,
            Class<?> formatClass,
            Class<?> keyClass,
            Class<?> valueClass,
            Configuration conf) {
        this.outputDir = Objects.requireNonNull(outputDir, "outputDir is null");
        this.jobToken = Objects.requireNonNull(jobToken, "jobToken is null");
        if (!OutputFormat.class.isAssignableFrom(formatClass)) {
            throw new IllegalArgumentException(
                    formatClass.getName() + " is not an org.apache.hadoop.mapred.OutputFormat");
        }
        JobConf c = new JobConf(conf);
        c.setClass("mapred.output.format.class", formatClass, OutputFormat.class);
        c.setOutputKeyClass(Writables.writableClassOf(keyClass));
        c.setOutputValueClass(Writables.writableClassOf(valueClass));
        FileOutputFormat.setOutputPath(c, new Path(outputDir));
        this.jobConf = new ShippedConf(c);
        this.jobTrackerId = new java.text.SimpleDateFormat("yyyyMMddHHmm", Locale.ROOT).format(new java.util.Date());
        this.jobNumber = Math.floorMod(jobToken.hashCode(), 1_000_000);
    }

    /** The factory for {@code Dataset.save}. */
    public static OutputCommitProtocol.Factory factory(
            Class<?> formatClass, Class<?> keyClass, Class<?> valueClass, Configuration conf) {
        ShippedConf shipped = new ShippedConf(conf);
        return (path, token) -> new MapredOutputProtocol(path, token, formatClass, keyClass, valueClass, shipped.get());
    }

    @Override
    public String jobToken() {
        return jobToken;
    }

    private JobID jobId() {
        return new JobID(jobTrackerId, jobNumber);
    }

    private JobConf conf() {
        return new JobConf(jobConf.get());
    }

    private JobContext jobContext() {
        return new JobContextImpl(conf(), jobId());
    }

    private TaskAttemptContext taskContext(int partition, int attempt) {
        TaskAttemptID id = new TaskAttemptID(new TaskID(jobId(), TaskType.REDUCE, partition), attempt);
        JobConf c = conf();
        c.set(MRJobConfig.TASK_ATTEMPT_ID, id.toString());
        c.set(MRJobConfig.TASK_ID, id.getTaskID().toString());
        c.setInt(MRJobConfig.TASK_PARTITION, partition);
        c.setBoolean(MRJobConfig.TASK_ISMAP, false);
        c.set(MRJobConfig.ID, jobId().toString());
        return new TaskAttemptContextImpl(c, id);
    }

    private static OutputFormat<?, ?> format(JobConf c) {
        return c.getOutputFormat();
    }

    private static OutputCommitter committer(JobConf c) {
        return c.getOutputCommitter();
    }

    @Override
    public void setupJob(Configuration conf) throws IOException {
        Path out = new Path(outputDir);
        JobConf c = conf();
        FileSystem fs = out.getFileSystem(c);
        if (fs.exists(out)) {
            throw new OutputPathException("output path already exists: " + fs.makeQualified(out));
        }
        try {
            format(c).checkOutputSpecs(fs, c);
        } catch (FileAlreadyExistsException e) {
            throw new OutputPathException("output path already exists: " + e.getMessage());
        }
        committer(c).setupJob(jobContext());
    }

    @Override
    public long writeTask(Iterator<?> records, TaskContext task) throws IOException {
        int attempt = (int) (task.taskAttemptId() & Integer.MAX_VALUE);
        TaskAttemptContext tac = taskContext(task.partitionId(), attempt);
        JobConf c = tac.getJobConf();
        OutputCommitter committer = committer(c);
        committer.setupTask(tac);
        String name = String.format(Locale.ROOT, "part-%05d", task.partitionId());
        return PairRecords.writeAndCommit(records, task, new PairRecords.TaskSteps() {
            RecordWriter<Object, Object> writer;

            @Override
            @SuppressWarnings("unchecked")
            public PairRecords.Sink openWriter() throws IOException {
                writer = (RecordWriter<Object, Object>)
                        format(c).getRecordWriter(new Path(outputDir).getFileSystem(c), c, name, Reporter.NULL);
                return writer::write;
            }

            @Override
            public void closeWriter() throws IOException {
                writer.close(Reporter.NULL);
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
        committer(conf()).commitJob(jobContext());
    }

    @Override
    public void abortJob(Configuration conf) throws IOException {
        committer(conf()).abortJob(jobContext(), JobStatus.State.FAILED.getValue());
        Path out = new Path(outputDir);
        if (!isCommitted(conf)) {
            // As in HadoopOutputProtocol: this job created the directory, and a failed job leaves none of it.
            out.getFileSystem(jobConf.get()).delete(out, true);
        }
    }

    @Override
    public boolean isCommitted(Configuration conf) throws IOException {
        Path out = new Path(outputDir);
        return out.getFileSystem(jobConf.get()).exists(new Path(out, "_SUCCESS"));
    }
}
