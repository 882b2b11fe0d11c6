package dev.weft.plan;

import dev.weft.exec.TaskContext;
import dev.weft.serde.Serializer;
import dev.weft.storage.ChunkedRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where a checkpointed dataset's partitions were written (one file per partition in a Hadoop
 * FileSystem directory). Once a node carries this, its lineage is cut: splits are read from the files.
 */
public record CheckpointState(String dir, int numPartitions) implements Serializable {
    public CheckpointState {
        Objects.requireNonNull(dir, "dir is null");
        if (numPartitions < 0) {
            throw new IllegalArgumentException("numPartitions must be >= 0: " + numPartitions);
        }
    }

    public static String partFile(int partition) {
        return String.format(Locale.ROOT, "part-%05d", partition);
    }

    <T> Iterator<T> read(int partition, Serializer<T> serializer, TaskContext ctx) {
        Path p = new Path(dir, partFile(partition));
        try {
            FileSystem fs = p.getFileSystem(ctx.env().hadoopConf());
            InputStream in = fs.open(p, 1 << 16);
            ctx.onCompletion(in);
            return ChunkedRecords.read(in, serializer, "checkpoint file " + p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint file " + p + ": " + e.getMessage(), e);
        }
    }
}
