package dev.weft.hdfs.rows;

import dev.weft.api.Dataset;
import dev.weft.api.PairDataset;
import dev.weft.api.WeftContext;
import dev.weft.hdfs.input.HadoopInputNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.orc.OrcConf;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.TypeDescription;
import org.apache.orc.mapred.OrcStruct;
import org.apache.orc.mapreduce.OrcInputFormat;

/** Reading ORC files as rows (for {@code HadoopFiles.orcFile}). Stateless. */
public final class OrcInput {
    private OrcInput() {}

    /**
     * ORC files as rows (flat structs of numbers, booleans, strings, binary), through ORC's OrcInputFormat (splits
     * located where their blocks are). With {@code columns}, only those columns are read.
     *
     * @param conf a copy of the context's configuration, this read's to change
     */
    public static Dataset<Row> read(WeftContext ctx, Configuration conf, String path, String... columns) {
        Objects.requireNonNull(path, "path is null");
        TypeDescription type = fileType(path, conf);
        if (columns.length > 0) {
            type = projection(type, List.of(columns));
            conf.set(OrcConf.MAPRED_INPUT_SCHEMA.getAttribute(), type.toString());
        }
        RowSchema schema = OrcRows.schemaOf(type);
        conf.set(FileInputFormat.INPUT_DIR, path);
        int minPartitions = Math.min(2, ctx.defaultParallelism());
        PairDataset<Object, Row> rows = ctx.readPairs((id, site, ignored) -> new HadoopInputNode<>(
                id,
                site,
                OrcInputFormat.class,
                NullWritable.class,
                OrcStruct.class,
                conf,
                minPartitions,
                path,
                (value, c) -> OrcRows.toRow((OrcStruct) value, schema, c)));
        return rows.values();
    }

    /** The struct type of the first file under {@code path}. */
    public static TypeDescription fileType(String path, Configuration conf) {
        Path file = FirstFile.of(path, conf);
        try (Reader r = OrcFile.createReader(file, OrcFile.readerOptions(conf))) {
            return r.getSchema();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ORC footer of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The read type of {@code columns} (in that order) of {@code full}: what {@code orc.mapred.input.schema} takes,
     * so that the reader decodes only those columns' streams.
     */
    public static TypeDescription projection(TypeDescription full, List<String> columns) {
        TypeDescription out = TypeDescription.createStruct();
        List<String> names = full.getFieldNames();
        for (String c : columns) {
            int i = names.indexOf(c);
            if (i < 0) {
                throw new IllegalArgumentException(
                        "no column " + c + " in the ORC files (their columns: " + names + ")");
            }
            out.addField(c, full.getChildren().get(i).clone());
        }
        return out;
    }
}
