package dev.weft.hdfs.rows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.TypeDescription;

/** Driver helpers for reading ORC files as rows. Stateless. */
public final class OrcInput {
    private OrcInput() {}

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
