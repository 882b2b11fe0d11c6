package dev.weft.hdfs.input;

import dev.weft.core.Pair;
import dev.weft.exec.TaskContext;
import dev.weft.hdfs.hadoop.ShippedConf;
import dev.weft.hdfs.hadoop.Writables;
import dev.weft.io.InputPathException;
import dev.weft.plan.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapred.InvalidInputException;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.Reporter;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * The records of any Hadoop InputFormat, of either API ({@code org.apache.hadoop.mapreduce} or the older {@code
 * org.apache.hadoop.mapred}), as key-value pairs converted by {@link Writables}. Splits are the format's own
 * ({@code getSplits}, on the driver); a split's preferred hosts are its {@code getLocations()}, so delay scheduling
 * keeps HDFS locality. Each task creates the format's RecordReader for its split and copies every record before the
 * reader reuses its objects.
 *
 * <p>The job configuration (input paths and the format's settings) ships with the node. Immutable once built.
 */
public final class HadoopInputNode<K, V> extends SourceNode<Pair<K, V>> {
    private final ShippedConf jobConf;
    private final Class<?> formatClass;
    private final Class<?> keyClass;
    private final Class<?> valueClass;
    private final boolean oldApi;
    private final int minPartitions;
    private final String description;
    private final Converter converter;

    /**
     * How a task turns a record the format's reader returned into a Weft value, before the reader overwrites it:
     * {@link Writables#toWeft} by default; a format whose records are neither Writables Weft knows nor copyable
     * (ORC's OrcStruct) brings its own. Serializable; called on executors.
     */
    @FunctionalInterface
    public interface Converter extends java.io.Serializable {
        Object toWeft(Object record, Configuration conf);
    }

    /**
     * @param formatClass an {@code org.apache.hadoop.mapreduce.InputFormat} or an {@code org.apache.hadoop.mapred
     *     .InputFormat}
     * @param keyClass what the format's reader returns as keys (checked on every record, so a wrong declaration fails
     *     naming both classes instead of failing later in user code)
     * @param valueClass what it returns as values
     * @param jobConf the job configuration, input paths set
     * @param minPartitions the old API's split hint ({@code getSplits(conf, n)}); the new API sizes splits itself
     * @param description what to name in errors (the input path)
     */
    public HadoopInputNode(
            int id,
            String callSite,
            Class<?> formatClass,
            Class<?> keyClass,
            Class<?> valueClass,
            Configuration jobConf,
            int minPartitions,
            String description) {
        this(id, callSite, formatClass, keyClass, valueClass, jobConf, minPartitions, description, Writables::toWeft);
    }

    /** The same, with {@code converter} for the values (keys still go through {@link Writables}). */
    public HadoopInputNode(
            int id,
            String callSite,
            Class<?> formatClass,
            Class<?> keyClass,
            Class<?> valueClass,
            Configuration jobConf,
            int minPartitions,
            String description,
            Converter converter) {
        super(id, callSite);
        this.formatClass = Objects.requireNonNull(formatClass, "formatClass is null");
        this.keyClass = Objects.requireNonNull(keyClass, "keyClass is null");
        this.valueClass = Objects.requireNonNull(valueClass, "valueClass is null");
        this.oldApi = org.apache.hadoop.mapred.InputFormat.class.isAssignableFrom(formatClass);
        if (!oldApi && !InputFormat.class.isAssignableFrom(formatClass)) {
            throw new IllegalArgumentException(formatClass.getName() + " is not a Hadoop InputFormat (neither"
                    + " org.apache.hadoop.mapreduce.InputFormat nor org.apache.hadoop.mapred.InputFormat)");
        }
        if (minPartitions <= 0) {
            throw new IllegalArgumentException("minPartitions must be > 0: " + minPartitions);
        }
        this.jobConf = new ShippedConf(jobConf);
        this.minPartitions = minPartitions;
        this.description = Objects.requireNonNull(description, "description is null");
        this.converter = Objects.requireNonNull(converter, "converter is null");
    }

    @Override
    protected Split[] computeSplits() {
        Configuration conf = jobConf.get();
        try {
            if (oldApi) {
                JobConf jc = new JobConf(conf);
                org.apache.hadoop.mapred.InputFormat<?, ?> f = oldFormat(jc);
                org.apache.hadoop.mapred.InputSplit[] splits = f.getSplits(jc, minPartitions);
                Split[] out = new Split[splits.length];
                for (int i = 0; i < splits.length; i++) {
                    out[i] = HadoopSplit.of(i, splits[i], splits[i].getLocations(), splits[i].getLength(), conf);
                }
                return out;
            }
            InputFormat<?, ?> f = newFormat(conf);
            List<InputSplit> splits = f.getSplits(new JobContextImpl(conf, new JobID()));
            Split[] out = new Split[splits.size()];
            for (int i = 0; i < out.length; i++) {
                InputSplit s = splits.get(i);
                out[i] = HadoopSplit.of(i, s, s.getLocations(), s.getLength(), conf);
            }
            return out;
        } catch (InvalidInputException | org.apache.hadoop.mapreduce.lib.input.InvalidInputException e) {
            throw new InputPathException("input path does not exist or matches no file: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot compute the splits of " + description + " with " + formatClass.getName() + ": "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing the splits of " + description, e);
        }
    }

    private org.apache.hadoop.mapred.InputFormat<?, ?> oldFormat(JobConf jc) {
        return (org.apache.hadoop.mapred.InputFormat<?, ?>) ReflectionUtils.newInstance(formatClass, jc);
    }

    private InputFormat<?, ?> newFormat(Configuration conf) {
        return (InputFormat<?, ?>) ReflectionUtils.newInstance(formatClass, conf);
    }

    @Override
    protected Iterator<Pair<K, V>> compute(Split split, TaskContext ctx) throws IOException, InterruptedException {
        HadoopSplit s = (HadoopSplit) split;
        Configuration conf = new Configuration(jobConf.get());
        Object hadoopSplit = s.read(conf);
        String where = description + " (split " + s.index() + ": " + hadoopSplit + ")";
        long bytesBefore = ThreadBytesRead.now();
        Reader reader = oldApi ? oldReader(conf, hadoopSplit) : newReader(conf, hadoopSplit, ctx);
        ctx.onCompletion(reader::close);
        return new Iterator<>() {
            boolean ready;
            boolean more = true;

            @Override
            public boolean hasNext() {
                if (!ready && more) {
                    try {
                        more = reader.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + where + ": " + e.getMessage(), e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while reading " + where, e);
                    }
                    ready = more;
                    if (!more) {
                        ctx.metrics().inputBytes += ThreadBytesRead.now() - bytesBefore;
                    }
                }
                return ready;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Pair<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                ctx.metrics().inputRecords++;
                Object k = reader.key();
                Object v = reader.value();
                check(keyClass, k, "key");
                check(valueClass, v, "value");
                return Pair.of((K) Writables.toWeft(k, conf), (V) converter.toWeft(v, conf));
            }

            private void check(Class<?> declared, Object got, String what) {
                if (got != null && !declared.isInstance(got)) {
                    throw new IllegalArgumentException(formatClass.getName() + " returned a " + what + " of "
                            + got.getClass().getName() + ", not of the declared " + declared.getName() + " (" + where
                            + ")");
                }
            }
        };
    }

    /** The two APIs' readers behind one shape. */
    private interface Reader extends AutoCloseable {
        boolean next() throws IOException, InterruptedException;

        Object key();

        Object value();

        @Override
        void close() throws IOException;
    }

    private Reader oldReader(Configuration conf, Object split) throws IOException {
        JobConf jc = new JobConf(conf);
        @SuppressWarnings("unchecked")
        org.apache.hadoop.mapred.RecordReader<Object, Object> r =
                (org.apache.hadoop.mapred.RecordReader<Object, Object>)
                        oldFormat(jc).getRecordReader((org.apache.hadoop.mapred.InputSplit) split, jc, Reporter.NULL);
        Object k = r.createKey();
        Object v = r.createValue();
        return new Reader() {
            @Override
            public boolean next() throws IOException {
                return r.next(k, v);
            }

            @Override
            public Object key() {
                return k;
            }

            @Override
            public Object value() {
                return v;
            }

            @Override
            public void close() throws IOException {
                r.close();
            }
        };
    }

    private Reader newReader(Configuration conf, Object split, TaskContext ctx)
            throws IOException, InterruptedException {
        TaskAttemptContextImpl tac = new TaskAttemptContextImpl(
                conf, new TaskAttemptID("weft", ctx.stageId(), TaskType.MAP, ctx.partitionId(), ctx.attemptNumber()));
        RecordReader<?, ?> r = newFormat(conf).createRecordReader((InputSplit) split, tac);
        r.initialize((InputSplit) split, tac);
        return new Reader() {
            @Override
            public boolean next() throws IOException, InterruptedException {
                return r.nextKeyValue();
            }

            @Override
            public Object key() {
                try {
                    return r.getCurrentKey();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public Object value() {
                try {
                    return r.getCurrentValue();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void close() throws IOException {
                r.close();
            }
        };
    }
}
