package dev.weft.io;

import dev.weft.exec.TaskContext;
import dev.weft.plan.Dependency;
import dev.weft.plan.Node;
import dev.weft.plan.Split;
import dev.weft.serde.Serializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.util.LineReader;

/**
 * Lines of text files read through Hadoop's {@link FileSystem} (local, HDFS, …). A file is cut into
 * byte-range splits; a split owns every line that <em>starts</em> inside it, so a line crossing a split
 * boundary is read exactly once (the split it starts in reads past its end to finish it). Compressed
 * files are one split each.
 */
public final class TextFileNode extends Node<String> {
    private final String path;
    private final int minPartitions;
    private final transient Configuration conf;

    public TextFileNode(
            int id,
            String callSite,
            Serializer<String> serializer,
            String path,
            int minPartitions,
            Configuration conf) {
        super(id, callSite, serializer);
        if (minPartitions <= 0) {
            throw new IllegalArgumentException("minPartitions must be > 0: " + minPartitions);
        }
        this.path = path;
        this.minPartitions = minPartitions;
        this.conf = conf;
    }

    /** A byte range of one file and the hosts holding its blocks. */
    public record FileSplit(int index, String file, long start, long length, boolean compressed, List<String> hosts)
            implements Split {
        public FileSplit {
            hosts = List.copyOf(hosts);
        }
    }

    @Override
    protected Split[] computeSplits() {
        try {
            List<FileStatus> files = listInputs();
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
                if (codec != null || len == 0) {
                    out.add(new FileSplit(
                            out.size(), f.getPath().toString(), 0, len, codec != null, hosts(fs, f, 0, len)));
                    continue;
                }
                long splitSize = Math.max(1, Math.min(goal, f.getBlockSize()));
                for (long start = 0; start < len; ) {
                    // Avoid a tiny last split: absorb up to 10% extra into the current one.
                    long size = (len - start) <= splitSize * 11 / 10 ? len - start : splitSize;
                    out.add(new FileSplit(
                            out.size(), f.getPath().toString(), start, size, false, hosts(fs, f, start, size)));
                    start += size;
                }
            }
            return out.toArray(new Split[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input " + path + ": " + e.getMessage(), e);
        }
    }

    private List<FileStatus> listInputs() throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(p);
        if (matches == null || matches.length == 0) {
            throw new InputPathException("input path does not exist: " + fs.makeQualified(p));
        }
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus m : matches) {
            if (m.isDirectory()) {
                FileStatus[] children = fs.listStatus(
                        m.getPath(),
                        q -> !q.getName().startsWith("_") && !q.getName().startsWith("."));
                Arrays.sort(children);
                for (FileStatus c : children) {
                    if (c.isFile()) {
                        files.add(c);
                    }
                }
            } else {
                files.add(m);
            }
        }
        return files;
    }

    private static List<String> hosts(FileSystem fs, FileStatus f, long start, long len) throws IOException {
        LinkedHashSet<String> hosts = new LinkedHashSet<>();
        for (BlockLocation b : fs.getFileBlockLocations(f, start, Math.max(1, len))) {
            hosts.addAll(Arrays.asList(b.getHosts()));
        }
        // The local file system reports "localhost" for every block of every file: it names no machine, so
        // as a preference it would only make delay scheduling wait for an executor on a host of that name.
        // Local files therefore have no preferred hosts and their tasks run NO_PREF (LocalityTest).
        hosts.remove("localhost");
        return new ArrayList<>(hosts);
    }

    @Override
    protected List<Dependency> lineage() {
        return List.of();
    }

    @Override
    public long sourceBytes() {
        if (checkpoint() != null) {
            return -1;
        }
        long total = 0;
        for (Split s : splits()) {
            total += ((FileSplit) s).length();
        }
        return total;
    }

    @Override
    public List<String> preferredHosts(Split split) {
        return ((FileSplit) split).hosts();
    }

    @Override
    protected Iterator<String> compute(Split split, TaskContext ctx) throws IOException {
        FileSplit s = (FileSplit) split;
        Configuration c = ctx.env().hadoopConf();
        Path p = new Path(s.file());
        FileSystem fs = p.getFileSystem(c);
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
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                ctx.metrics().inputRecords++;
                return line.toString();
            }
        };
    }
}
