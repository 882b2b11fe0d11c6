package dev.weft.hdfs.input;

import dev.weft.exec.TaskContext;
import dev.weft.plan.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.SplittableCompressionCodec;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.LineReader;

/**
 * Lines of text files read through Hadoop's {@link FileSystem} (local, HDFS, …). A file is cut into
 * byte-range splits; a split owns every line that <em>starts</em> inside it, so a line crossing a split
 * boundary is read exactly once (the split it starts in reads past its end to finish it). A compressed file
 * is one split, unless its codec is splittable (bzip2): then it is cut like a plain file and read by Hadoop's
 * LineRecordReader, which finds the codec's block boundaries.
 */
public final class TextFileNode<T> extends SourceNode<T> {
    private final String path;
    private final int minPartitions;
    private final transient Configuration conf;
    private final LineFormat<T> format;

    /**
     * What a task makes of each line: the line itself ({@link #LINES}), or a record that knows where the line stands
     * (CSV and JSON lines name the file and offset of a malformed line). Serializable; called on executors.
     */
    @FunctionalInterface
    public interface LineFormat<T> extends java.io.Serializable {
        /**
         * @param offset the line's first byte in the file (for a bzip2 file: the position Hadoop's reader reports)
         */
        T record(String file, long offset, String line);
    }

    /** The lines themselves. */
    public static final LineFormat<String> LINES = (file, offset, line) -> line;

    /** Lines of the files under {@code path}. */
    public static TextFileNode<String> lines(
            int id, String callSite, String path, int minPartitions, Configuration conf) {
        return new TextFileNode<>(id, callSite, path, minPartitions, conf, LINES);
    }

    public TextFileNode(
            int id, String callSite, String path, int minPartitions, Configuration conf, LineFormat<T> format) {
        super(id, callSite);
        this.format = java.util.Objects.requireNonNull(format, "format is null");
        if (minPartitions <= 0) {
            throw new IllegalArgumentException("minPartitions must be > 0: " + minPartitions);
        }
        this.path = path;
        this.minPartitions = minPartitions;
        this.conf = conf;
    }

    /**
     * A byte range of one file and the hosts holding its blocks. {@code compressed}: the file is compressed (then the
     * range is the whole file, or, for a splittable codec such as bzip2, a range of compressed bytes).
     */
    public record FileSplit(int index, String file, long start, long length, boolean compressed, List<String> hosts)
            implements SourceNode.SizedSplit {
        public FileSplit {
            hosts = List.copyOf(hosts);
        }
    }

    @Override
    protected Split[] computeSplits() {
        try {
            List<FileStatus> files = InputFiles.list(path, conf);
            long total = 0;
            for (FileStatus f : files) {
                total += f.getLen();
            }
            long goal = Math.max(1, total / minPartitions);
            List<Split> out = new ArrayList<>();
            CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
            for (FileStatus f : files) {
                FileSystem fs = f.getPath().getFileSystem(conf);
                CompressionCodec codec = codecs.getCodec(f.getPath());
                long len = f.getLen();
                if ((codec != null && !(codec instanceof SplittableCompressionCodec)) || len == 0) {
                    out.add(new FileSplit(
                            out.size(),
                            f.getPath().toString(),
                            0,
                            len,
                            codec != null,
                            InputFiles.hosts(fs, f, 0, len)));
                    continue;
                }
                long splitSize = Math.max(1, Math.min(goal, f.getBlockSize()));
                for (long start = 0; start < len; ) {
                    // Avoid a tiny last split: absorb up to 10% extra into the current one.
                    long size = (len - start) <= splitSize * 11 / 10 ? len - start : splitSize;
                    out.add(new FileSplit(
                            out.size(),
                            f.getPath().toString(),
                            start,
                            size,
                            codec != null,
                            InputFiles.hosts(fs, f, start, size)));
                    start += size;
                }
            }
            return out.toArray(new Split[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected Iterator<T> compute(Split split, TaskContext ctx) throws IOException {
        FileSplit s = (FileSplit) split;
        Configuration c = ctx.env().hadoopConf();
        Path p = new Path(s.file());
        FileSystem fs = p.getFileSystem(c);
        if (s.compressed() && new CompressionCodecFactory(c).getCodec(p) instanceof SplittableCompressionCodec) {
            return splittableCompressed(s, c, ctx, format);
        }
        FSDataInputStream raw = fs.open(p, 1 << 16);
        ctx.onCompletion(raw);
        InputStream in = raw;
        if (s.compressed()) {
            in = new CompressionCodecFactory(c).getCodec(p).createInputStream(raw);
            ctx.onCompletion(in);
        } else if (s.start() > 0) {
            raw.seek(s.start());
        }
        LineReader reader = new LineReader(in, 1 << 16);
        long end = s.compressed() ? Long.MAX_VALUE : s.start() + s.length();
        long startPos = s.compressed() ? 0 : s.start();
        if (startPos > 0) {
            // The line that starts before this split belongs to the previous split.
            startPos += reader.readLine(new Text(), 0, Integer.MAX_VALUE);
        }
        long firstPos = startPos;
        return new Iterator<>() {
            final Text line = new Text();
            long pos = firstPos;
            long lineStart;
            boolean ready;
            boolean more = true;

            @Override
            public boolean hasNext() {
                if (!ready && more) {
                    // A split reads every line that starts at or before its end ("<=" also takes the line
                    // starting exactly at the next split's first byte, which that split skips).
                    if (pos > end) {
                        more = false;
                    } else {
                        try {
                            lineStart = pos;
                            int n = reader.readLine(line);
                            if (n == 0) {
                                more = false;
                            } else {
                                pos += n;
                                ctx.metrics().inputBytes += n;
                                ready = true;
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read " + s.file() + ": " + e.getMessage(), e);
                        }
                    }
                }
                return ready;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                ctx.metrics().inputRecords++;
                return format.record(s.file(), lineStart, line.toString());
            }
        };
    }

    /**
     * A range of a file in a splittable codec (bzip2): Hadoop's LineRecordReader finds the compressed block boundaries
     * and applies the same rule as the plain path (a split reads the lines that start inside it).
     */
    private static <T> Iterator<T> splittableCompressed(
            FileSplit s, Configuration c, TaskContext ctx, LineFormat<T> format) throws IOException {
        LineRecordReader reader = new LineRecordReader();
        reader.initialize(
                new org.apache.hadoop.mapreduce.lib.input.FileSplit(
                        new Path(s.file()), s.start(), s.length(), new String[0]),
                new TaskAttemptContextImpl(c, new TaskAttemptID()));
        ctx.onCompletion(reader);
        long bytesBefore = ThreadBytesRead.now();
        return new Iterator<>() {
            boolean ready;
            boolean more = true;

            @Override
            public boolean hasNext() {
                if (!ready && more) {
                    try {
                        more = reader.nextKeyValue();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + s.file() + ": " + e.getMessage(), e);
                    }
                    ready = more;
                    if (!more) {
                        ctx.metrics().inputBytes += ThreadBytesRead.now() - bytesBefore;
                    }
                }
                return ready;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                ctx.metrics().inputRecords++;
                return format.record(
                        s.file(),
                        reader.getCurrentKey().get(),
                        reader.getCurrentValue().toString());
            }
        };
    }
}
