package dev.weft.hdfs.rows;

import dev.weft.hdfs.output.PartFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;

/** Rows of one schema as CSV part files (UTF-8, "\n" line ends, quoted where needed, a header line if asked). */
public record CsvPartFormat(RowSchema schema, CsvOptions options) implements PartFormat {
    public CsvPartFormat {
        Objects.requireNonNull(schema, "schema is null");
        Objects.requireNonNull(options, "options is null");
    }

    @Override
    public long write(Iterator<?> records, OutputStream out, Configuration conf) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        CSVPrinter printer = new CSVPrinter(w, options.format());
        if (options.header()) {
            List<String> names = new ArrayList<>();
            schema.columns().forEach(c -> names.add(c.name()));
            printer.printRecord(names);
        }
        long n = 0;
        List<String> fields = new ArrayList<>(schema.size());
        while (records.hasNext()) {
            Row row = RowOutput.checked(records.next(), schema, "CSV");
            fields.clear();
            for (int i = 0; i < schema.size(); i++) {
                fields.add(RowValues.format(row.get(i)));
            }
            printer.printRecord(fields);
            n++;
        }
        printer.flush();
        return n;
    }

    @Override
    public String extension() {
        return ".csv";
    }
}
