package dev.weft.hdfs.rows;

import dev.weft.api.Dataset;
import dev.weft.api.PairDataset;
import dev.weft.api.WeftContext;
import dev.weft.hdfs.input.HadoopInputNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetInputFormat;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** Reading Parquet files as rows (for {@code HadoopFiles.parquetFile}). Stateless. */
public final class ParquetInput {
    /** Parquet's switch for Hadoop vectored reads (ParquetInputFormat.HADOOP_VECTORED_IO_ENABLED). */
    private static final String VECTORED_IO = "parquet.hadoop.vectored.io.enabled";

    private ParquetInput() {}

    /**
     * Parquet files as rows of primitives and strings, through Parquet's own ParquetInputFormat (splits by row
     * group, located where their blocks are). With {@code columns}, only those columns are read: Parquet decodes
     * (and HDFS serves) only their column chunks.
     *
     * @param conf a copy of the context's configuration, this read's to change
     */
    public static Dataset<Row> read(WeftContext ctx, Configuration conf, String path, String... columns) {
        Objects.requireNonNull(path, "path is null");
        conf.set(ParquetInputFormat.READ_SUPPORT_CLASS, GroupReadSupport.class.getName());
        // Plain reads on the task's thread, so the task's input bytes (Hadoop's per-thread statistics) count what
        // Parquet read; Hadoop's vectored reads may run on other threads (the local file system's do) and go
        // uncounted. HDFS has no vectored read of its own, so this costs nothing there. A user's setting wins.
        if (conf.get(VECTORED_IO) == null) {
            conf.setBoolean(VECTORED_IO, false);
        }
        if (columns.length > 0) {
            conf.set(
                    ReadSupport.PARQUET_READ_SCHEMA,
                    projection(path, List.of(columns), conf).toString());
        }
        conf.set(FileInputFormat.INPUT_DIR, path);
        int minPartitions = Math.min(2, ctx.defaultParallelism());
        PairDataset<Object, Group> groups = ctx.readPairs((id, site, ignored) -> new HadoopInputNode<>(
                id, site, ParquetInputFormat.class, Void.class, Group.class, conf, minPartitions, path));
        return groups.values().mapPartitions(ParquetInput::rows);
    }

    /**
     * The Parquet read schema of {@code columns} (in that order), from the footer of the first file under {@code
     * path}: what {@code parquet.read.schema} takes so that readers decode only those column chunks.
     */
    public static MessageType projection(String path, List<String> columns, Configuration conf) {
        Path file = FirstFile.of(path, conf);
        MessageType full;
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
            full = r.getFooter().getFileMetaData().getSchema();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Parquet footer of " + file + ": " + e.getMessage(), e);
        }
        List<Type> fields = new ArrayList<>();
        for (String c : columns) {
            if (!full.containsField(c)) {
                throw new IllegalArgumentException("no column " + c + " in " + file + " (its columns: "
                        + full.getFields().stream().map(Type::getName).toList() + ")");
            }
            fields.add(full.getType(c));
        }
        return new MessageType(full.getName(), fields);
    }

    /** A partition's groups as rows; the row schema is made once per Parquet type the reader hands out. */
    public static Iterator<Row> rows(Iterator<Group> groups) {
        return new Iterator<>() {
            org.apache.parquet.schema.GroupType type;
            RowSchema schema;

            @Override
            public boolean hasNext() {
                return groups.hasNext();
            }

            @Override
            // Identity on purpose: a reader hands out one type object per file, and comparing the types by value on
            // every row would cost more than the conversion; an equal type of another object is just rebuilt.
            @SuppressWarnings("ReferenceEquality")
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Group g = groups.next();
                if (g.getType() != type) {
                    type = g.getType();
                    schema = ParquetRows.rowSchema(type);
                }
                return ParquetRows.toRow(g, schema);
            }
        };
    }
}
