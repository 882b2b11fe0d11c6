package dev.weft.it;

import dev.weft.api.Dataset;
import dev.weft.api.PairDataset;
import dev.weft.api.WeftContext;
import dev.weft.core.Pair;
import dev.weft.hdfs.HadoopFiles;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.Writable;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;

/** Programs over hdfs-io's formats that the integration tests submit through the yarn-jar path. */
public final class FormatJobs {
    private FormatJobs() {}

    /** Reads a SequenceFile of (Text, LongWritable), doubles the values, writes a SequenceFile. Args: in out. */
    public static final class SequenceCopy {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                PairDataset<String, Long> in = HadoopFiles.of(ctx).sequenceFile(a[0], Text.class, LongWritable.class);
                HadoopFiles.saveAsSequenceFile(in.mapValues(v -> v * 2), a[1], String.class, Long.class);
            }
        }
    }

    /**
     * TeraSort's shape: fixed 100-byte records read with binaryRecords (splits of at most {@code splitBytes}), sorted
     * by their first 10 bytes (unsigned, byte[] keys), written raw. Args: in out splitBytes reducers.
     */
    public static final class SortRecords {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                HadoopFiles files = HadoopFiles.of(ctx);
                Configuration conf = files.newConf();
                conf.setLong(FileInputFormat.SPLIT_MAXSIZE, Long.parseLong(a[2]));
                Dataset<byte[]> records = files.binaryRecords(a[0], 100, conf);
                HadoopFiles.saveAsBinaryRecords(
                        records.mapToPair(FormatJobs::keyed)
                                .sortByKey(true, Integer.parseInt(a[3]))
                                .values(),
                        a[1],
                        100);
            }
        }
    }

    /** A record keyed by its first 10 bytes, which sortByKey orders as unsigned bytes. */
    static Pair<byte[], byte[]> keyed(byte[] r) {
        return Pair.of(Arrays.copyOf(r, 10), r);
    }

    /**
     * A custom mapreduce InputFormat ({@link NumberRangeInputFormat}) and OutputFormat ({@link KeyEqualsValueOutputFormat})
     * from this test jar: counts numbers 0..n-1 by {@code n % 97}. Args: n out gateDir mode, mode one of
     * {@code ok}, {@code kill-before-commit} (the first attempt of partition 0 writes its file, leaves {@code
     * <gateDir>/partition-0} and waits before its commit for the test to kill its executor) and {@code fail} (partition 1 fails every attempt after writing).
     */
    public static final class CustomFormats {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String[] a = ctx.args();
                HadoopFiles files = HadoopFiles.of(ctx);
                Configuration conf = files.newConf();
                conf.setLong(NumberRangeInputFormat.COUNT, Long.parseLong(a[0]));
                conf.setInt(NumberRangeInputFormat.SPLITS, 5);
                PairDataset<Long, String> numbers = files.hadoopFile(
                        "(numbers)", NumberRangeInputFormat.class, LongWritable.class, Text.class, conf);
                PairDataset<String, Long> counts = numbers.mapToPair(p -> Pair.of("r" + (p.key() % 97), 1L))
                        .reduceByKey(Long::sum, 3);
                Configuration out = files.newConf();
                out.set(KeyEqualsValueOutputFormat.GATE_DIR, a[2]);
                out.set(KeyEqualsValueOutputFormat.MODE, a[3]);
                HadoopFiles.saveAsHadoopFile(
                        counts, a[1], KeyEqualsValueOutputFormat.class, String.class, Long.class, out);
            }
        }
    }

    /** Numbers 0..count-1 in {@code splits} ranges, no files: splits of its own class, located nowhere. */
    public static final class NumberRangeInputFormat extends InputFormat<LongWritable, Text> {
        static final String COUNT = "it.numbers.count";
        static final String SPLITS = "it.numbers.splits";

        /** One range; Writable, so hdfs-io ships it with Hadoop's serialization. */
        public static final class RangeSplit extends InputSplit implements Writable {
            long start;
            long end;

            public RangeSplit() {}

            RangeSplit(long start, long end) {
                this.start = start;
                this.end = end;
            }

            @Override
            public long getLength() {
                return end - start;
            }

            @Override
            public String[] getLocations() {
                return new String[0];
            }

            @Override
            public void write(DataOutput out) throws IOException {
                out.writeLong(start);
                out.writeLong(end);
            }

            @Override
            public void readFields(DataInput in) throws IOException {
                start = in.readLong();
                end = in.readLong();
            }

            @Override
            public String toString() {
                return "numbers [" + start + ", " + end + ")";
            }
        }

        @Override
        public List<InputSplit> getSplits(JobContext context) {
            long count = context.getConfiguration().getLong(COUNT, 0);
            int splits = context.getConfiguration().getInt(SPLITS, 1);
            List<InputSplit> out = new ArrayList<>();
            for (int i = 0; i < splits; i++) {
                out.add(new RangeSplit(count * i / splits, count * (i + 1) / splits));
            }
            return out;
        }

        @Override
        public RecordReader<LongWritable, Text> createRecordReader(InputSplit split, TaskAttemptContext context) {
            return new RecordReader<>() {
                final LongWritable key = new LongWritable(); // reused, as Hadoop's readers do
                final Text value = new Text();
                RangeSplit range;
                long next;

                @Override
                public void initialize(InputSplit s, TaskAttemptContext c) {
                    range = (RangeSplit) s;
                    next = range.start;
                }

                @Override
                public boolean nextKeyValue() {
                    if (next >= range.end) {
                        return false;
                    }
                    key.set(next);
                    value.set("n" + next);
                    next++;
                    return true;
                }

                @Override
                public LongWritable getCurrentKey() {
                    return key;
                }

                @Override
                public Text getCurrentValue() {
                    return value;
                }

                @Override
                public float getProgress() {
                    return range.getLength() == 0 ? 1 : (next - range.start) / (float) range.getLength();
                }

                @Override
                public void close() {}
            };
        }
    }

    /** Waits for the test to kill this executor (or, should it never come, for a release marker). */
    static void awaitKill(FileSystem fs, Path release) throws IOException {
        try {
            while (!fs.exists(release)) {
                if (dev.weft.exec.TaskContext.get().isKilled()) {
                    throw new IOException("killed while waiting for the executor's death");
                }
                Thread.sleep(50); // polling an HDFS marker: the wait is on an event, not a guess at timing
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** {@code key=value} lines in {@code part-r-NNNNN.kv} files, under FileOutputFormat's committer. */
    public static final class KeyEqualsValueOutputFormat extends FileOutputFormat<Text, LongWritable> {
        static final String GATE_DIR = "it.kv.gate";
        static final String MODE = "it.kv.mode";

        @Override
        public RecordWriter<Text, LongWritable> getRecordWriter(TaskAttemptContext job) throws IOException {
            Configuration conf = job.getConfiguration();
            Path file = getDefaultWorkFile(job, ".kv");
            FileSystem fs = file.getFileSystem(conf);
            DataOutputStream out = fs.create(file, false);
            int partition = job.getTaskAttemptID().getTaskID().getId();
            return new RecordWriter<>() {
                @Override
                public void write(Text key, LongWritable value) throws IOException {
                    out.write((key + "=" + value.get() + "\n").getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void close(TaskAttemptContext context) throws IOException {
                    out.close();
                    String mode = conf.get(MODE, "ok");
                    Path gate = new Path(conf.get(GATE_DIR), "partition-" + partition);
                    if (mode.equals("kill-before-commit") && partition == 0 && fs.createNewFile(gate)) {
                        // The first attempt wrote its whole file and waits, before its commit, for the test to kill
                        // its executor: the retry must be the only one whose file reaches the output.
                        awaitKill(fs, new Path(conf.get(GATE_DIR), "release"));
                    }
                    if (mode.equals("fail") && partition == 1) {
                        throw new IOException("partition 1 fails after writing, on purpose");
                    }
                }
            };
        }
    }
}
