package dev.weft.hdfs.rows;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.hdfs.output.PartFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/** Rows of one schema as JSON-lines part files (UTF-8, one object per line). Immutable. */
public record JsonLinesPartFormat(RowSchema schema) implements PartFormat {
    public JsonLinesPartFormat {
        Objects.requireNonNull(schema, "schema is null");
    }

    @Override
    public long write(Iterator<?> records, OutputStream out, Configuration conf) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        JsonGenerator g = JsonLines.generator(w);
        long n = 0;
        while (records.hasNext()) {
            JsonLines.write(RowOutput.checked(records.next(), schema, "JSON lines"), g, w);
            n++;
        }
        w.flush();
        return n;
    }

    @Override
    public String extension() {
        return ".jsonl";
    }
}
