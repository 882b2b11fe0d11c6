package dev.weft.hdfs.rows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** Driver and task helpers for reading Parquet files as rows. Stateless. */
public final class ParquetInput {
    private ParquetInput() {}

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
