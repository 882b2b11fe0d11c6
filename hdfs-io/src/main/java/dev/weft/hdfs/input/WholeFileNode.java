package dev.weft.hdfs.input;

import dev.weft.core.Pair;
import dev.weft.exec.TaskContext;
import dev.weft.plan.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Whole files as (path, content) pairs, content decoded as UTF-8 (decompressed first when the name has a codec's
 * extension). Files are grouped into at most {@code minPartitions} splits of about equal bytes, in listing order; a
 * file is never cut. Meant for many small files; a file must fit in a task's memory. Immutable once built.
 */
public final class WholeFileNode extends SourceNode<Pair<String, String>> {
    private final String path;
    private final int minPartitions;
    private final transient Configuration conf;

    public WholeFileNode(int id, String callSite, String path, int minPartitions, Configuration conf) {
        super(id, callSite);
        if (minPartitions <= 0) {
            throw new IllegalArgumentException("minPartitions must be > 0: " + minPartitions);
        }
        this.path = path;
        this.minPartitions = minPartitions;
        this.conf = conf;
    }

    /** Whole files, their total length and the hosts of their blocks. */
    record FilesSplit(int index, List<String> files, long length, List<String> hosts) implements SourceNode.SizedSplit {
        FilesSplit {
            files = List.copyOf(files);
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
            List<String> group = new ArrayList<>();
            LinkedHashSet<String> hosts = new LinkedHashSet<>();
            long bytes = 0;
            for (FileStatus f : files) {
                FileSystem fs = f.getPath().getFileSystem(conf);
                group.add(f.getPath().toString());
                hosts.addAll(InputFiles.hosts(fs, f, 0, f.getLen()));
                bytes += f.getLen();
                if (bytes >= goal) {
                    out.add(new FilesSplit(out.size(), group, bytes, new ArrayList<>(hosts)));
                    group.clear();
                    hosts.clear();
                    bytes = 0;
                }
            }
            if (!group.isEmpty()) {
                out.add(new FilesSplit(out.size(), group, bytes, new ArrayList<>(hosts)));
            }
            return out.toArray(new Split[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list input " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected Iterator<Pair<String, String>> compute(Split split, TaskContext ctx) {
        FilesSplit s = (FilesSplit) split;
        Configuration c = ctx.env().hadoopConf();
        CompressionCodecFactory codecs = new CompressionCodecFactory(c);
        Iterator<String> files = s.files().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return files.hasNext();
            }

            @Override
            public Pair<String, String> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String file = files.next();
                Path p = new Path(file);
                try {
                    FileSystem fs = p.getFileSystem(c);
                    CompressionCodec codec = codecs.getCodec(p);
                    byte[] bytes;
                    long before = ThreadBytesRead.now();
                    try (InputStream raw = fs.open(p);
                            InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
                        bytes = in.readAllBytes();
                    }
                    ctx.metrics().inputBytes += ThreadBytesRead.now() - before;
                    ctx.metrics().inputRecords++;
                    return Pair.of(file, new String(bytes, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
