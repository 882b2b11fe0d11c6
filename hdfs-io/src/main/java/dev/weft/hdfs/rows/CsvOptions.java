package dev.weft.hdfs.rows;

import java.io.Serializable;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;

/**
 * How CSV is read and written: delimiter and quote character, whether each file starts with a header line, the
 * schema (when absent, a header names STRING columns) and the policy for malformed lines. A record is one line: a
 * quoted field may hold delimiters and doubled quotes but not a line break (files are split by lines like text). An
 * empty line is skipped. Immutable; {@code with…} returns a changed copy.
 */
public final class CsvOptions implements Serializable {
    private final char delimiter;
    private final char quote;
    private final boolean header;
    private final RowSchema schema;
    private final MalformedRows malformed;

    private CsvOptions(char delimiter, char quote, boolean header, RowSchema schema, MalformedRows malformed) {
        if (delimiter == quote || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter '" + delimiter + "' cannot be the quote or a line break");
        }
        this.delimiter = delimiter;
        this.quote = quote;
        this.header = header;
        this.schema = schema;
        this.malformed = Objects.requireNonNull(malformed, "malformed is null");
    }

    /** Comma, double quote, a header line, columns named by it, malformed lines fail. */
    public static CsvOptions defaults() {
        return new CsvOptions(',', '"', true, null, MalformedRows.fail());
    }

    public CsvOptions withDelimiter(char d) {
        return new CsvOptions(d, quote, header, schema, malformed);
    }

    public CsvOptions withQuote(char q) {
        return new CsvOptions(delimiter, q, header, schema, malformed);
    }

    public CsvOptions withHeader(boolean h) {
        return new CsvOptions(delimiter, quote, h, schema, malformed);
    }

    /** Columns and their types (the header, if any, is skipped, not checked against it). */
    public CsvOptions withSchema(RowSchema s) {
        return new CsvOptions(delimiter, quote, header, Objects.requireNonNull(s, "schema is null"), malformed);
    }

    public CsvOptions withMalformed(MalformedRows m) {
        return new CsvOptions(delimiter, quote, header, schema, m);
    }

    public boolean header() {
        return header;
    }

    /** The schema given, or null (then the header names the columns). */
    public RowSchema schema() {
        return schema;
    }

    public MalformedRows malformed() {
        return malformed;
    }

    CSVFormat format() {
        return CSVFormat.DEFAULT
                .builder()
                .setDelimiter(delimiter)
                .setQuote(quote)
                .setRecordSeparator("\n")
                .build();
    }
}
