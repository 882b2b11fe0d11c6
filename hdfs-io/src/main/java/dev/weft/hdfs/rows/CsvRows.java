package dev.weft.hdfs.rows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Parsing lines of CSV into rows (Apache Commons CSV does the quoting rules). Stateless. */
public final class CsvRows {
    private CsvRows() {}

    /** The fields of one CSV line; fails when its quoting is broken. */
    static List<String> fields(String line, CSVFormat format) {
        try (CSVParser p = CSVParser.parse(line, format)) {
            List<CSVRecord> records = p.getRecords();
            if (records.size() != 1) {
                throw new IllegalArgumentException(records.size() + " records on one line");
            }
            List<String> out = new ArrayList<>();
            records.get(0).forEach(out::add);
            return out;
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("broken quoting (" + e.getMessage() + ")", e);
        }
    }

    /** The STRING schema a header line names. */
    public static RowSchema schemaOfHeader(String headerLine, CsvOptions options) {
        RowSchema.Builder b = RowSchema.builder();
        for (String name : fields(headerLine, options.format())) {
            b.string(name.trim());
        }
        return b.build();
    }

    /**
     * A partition's lines as rows of {@code schema}: a header line (offset 0, when the options say files have one)
     * and empty lines are skipped; a malformed line goes to the options' policy.
     */
    public static Iterator<Row> rows(Iterator<TextLine> lines, RowSchema schema, CsvOptions options) {
        CSVFormat format = options.format();
        return new Iterator<>() {
            Row next;

            @Override
            public boolean hasNext() {
                while (next == null && lines.hasNext()) {
                    TextLine line = lines.next();
                    if ((options.header() && line.offset() == 0) || line.text().isEmpty()) {
                        continue;
                    }
                    try {
                        List<String> f = fields(line.text(), format);
                        if (f.size() != schema.size()) {
                            throw new IllegalArgumentException(
                                    f.size() + " fields where " + schema + " has " + schema.size() + " columns");
                        }
                        Object[] values = new Object[f.size()];
                        for (int i = 0; i < values.length; i++) {
                            RowSchema.Column c = schema.column(i);
                            try {
                                values[i] = RowValues.parse(f.get(i), c.type());
                            } catch (IllegalArgumentException e) {
                                throw new IllegalArgumentException("column " + c.name() + ": " + e.getMessage(), e);
                            }
                        }
                        next = Row.of(schema, values);
                    } catch (IllegalArgumentException e) {
                        options.malformed().handle(line, e.getMessage());
                    }
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }
        };
    }
}
