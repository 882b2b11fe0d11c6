package dev.weft.hdfs;

import dev.weft.api.Dataset;
import dev.weft.api.PairDataset;
import dev.weft.api.WeftContext;
import dev.weft.hdfs.input.HadoopInputNode;
import dev.weft.hdfs.input.TextFileNode;
import dev.weft.hdfs.input.WholeFileNode;
import dev.weft.hdfs.output.HadoopOutputProtocol;
import dev.weft.hdfs.output.MapredOutputProtocol;
import dev.weft.hdfs.output.PartFileCommitter;
import dev.weft.hdfs.output.PartFormat;
import dev.weft.hdfs.rows.CsvOptions;
import dev.weft.hdfs.rows.CsvPartFormat;
import dev.weft.hdfs.rows.CsvRows;
import dev.weft.hdfs.rows.FirstFile;
import dev.weft.hdfs.rows.JsonLines;
import dev.weft.hdfs.rows.JsonLinesPartFormat;
import dev.weft.hdfs.rows.MalformedRows;
import dev.weft.hdfs.rows.OrcInput;
import dev.weft.hdfs.rows.OrcPartFormat;
import dev.weft.hdfs.rows.ParquetInput;
import dev.weft.hdfs.rows.ParquetPartFormat;
import dev.weft.hdfs.rows.Row;
import dev.weft.hdfs.rows.RowSchema;
import dev.weft.hdfs.rows.TextLine;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FixedLengthInputFormat;
import org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat;
import org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat;

/**
 * Reading and writing what HDFS holds, for one {@link WeftContext}:
 *
 * <pre>{@code
 * HadoopFiles files = HadoopFiles.of(ctx);
 * PairDataset<String, Long> counts = files.sequenceFile("/data/counts", Text.class, LongWritable.class);
 * Dataset<byte[]> records = files.binaryRecords("/data/terasort-in", 100);
 * PairDataset<Long, String> lines = files.hadoopFile("/logs", TextInputFormat.class, LongWritable.class, Text.class);
 * HadoopFiles.saveAsSequenceFile(counts, "/out/counts", String.class, Long.class);
 * HadoopFiles.saveAsBinaryRecords(records.sortBy(...), "/out/sorted", 100);
 * }</pre>
 *
 * Any Hadoop InputFormat or OutputFormat works, of either API ({@code org.apache.hadoop.mapreduce} or {@code
 * org.apache.hadoop.mapred}); records are converted between Writables and Weft values by the rule in {@link
 * dev.weft.hdfs.hadoop.Writables} (Text and String, LongWritable and Long, BytesWritable and byte[], …). Splits and
 * their preferred hosts are the InputFormat's own, so locality is HDFS's; commits go through the OutputFormat's
 * OutputCommitter, fenced by the driver so one attempt per partition commits. (These live here and not on
 * WeftContext because the engine core does not depend on Hadoop's MapReduce classes.) Parquet and ORC are optional
 * dependencies of this module: a program that reads or writes them declares them (see the README); this class
 * touches their classes only inside those methods. Thread-safe.
 */
public final class HadoopFiles {
    private final WeftContext ctx;

    private HadoopFiles(WeftContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx is null");
    }

    public static HadoopFiles of(WeftContext ctx) {
        return new HadoopFiles(ctx);
    }

    /** A copy of the context's Hadoop configuration, for settings of one read or write. */
    public Configuration newConf() {
        return new Configuration(ctx.hadoopConf());
    }

    // ---- input ------------------------------------------------------------------------------------

    /** {@code WeftContext.textFile}: lines, split by byte ranges; gzip files whole, bzip2 files split. */
    public Dataset<String> textFile(String path, int minPartitions) {
        return ctx.read((id, site, conf) -> TextFileNode.lines(id, site, path, minPartitions, conf));
    }

    /**
     * The records of {@code inputFormat} (either API) over {@code path}, keys and values converted to Weft values.
     *
     * @param keyClass the Writable class the format's reader returns as keys (checked on every record)
     * @param valueClass the Writable class of its values
     */
    public <K, V> PairDataset<K, V> hadoopFile(
            String path, Class<?> inputFormat, Class<?> keyClass, Class<?> valueClass) {
        return hadoopFile(path, inputFormat, keyClass, valueClass, newConf());
    }

    /** {@link #hadoopFile(String, Class, Class, Class)} with the format's settings in {@code conf}. */
    public <K, V> PairDataset<K, V> hadoopFile(
            String path, Class<?> inputFormat, Class<?> keyClass, Class<?> valueClass, Configuration conf) {
        Objects.requireNonNull(path, "path is null");
        Configuration c = new Configuration(conf);
        c.set(FileInputFormat.INPUT_DIR, path);
        c.set(org.apache.hadoop.mapreduce.MRJobConfig.INPUT_FORMAT_CLASS_ATTR, inputFormat.getName());
        int minPartitions = Math.min(2, ctx.defaultParallelism()); // the old API's split hint, as textFile's
        return ctx.readPairs((id, site, ignored) ->
                new HadoopInputNode<>(id, site, inputFormat, keyClass, valueClass, c, minPartitions, path));
    }

    /** A SequenceFile's (or a directory of them) records, converted. */
    public <K, V> PairDataset<K, V> sequenceFile(String path, Class<?> keyClass, Class<?> valueClass) {
        return hadoopFile(path, SequenceFileInputFormat.class, keyClass, valueClass);
    }

    /**
     * Fixed-length binary records ({@code recordLength} bytes each, nothing between them: e.g. TeraSort's 100-byte
     * records), with Hadoop's FixedLengthInputFormat: splits at any byte, each record read by the split it starts in.
     * A file whose length is not a multiple of {@code recordLength} fails the job naming the file.
     */
    public Dataset<byte[]> binaryRecords(String path, int recordLength) {
        return binaryRecords(path, recordLength, newConf());
    }

    /** {@link #binaryRecords(String, int)} with split sizes etc. from {@code conf}. */
    public Dataset<byte[]> binaryRecords(String path, int recordLength, Configuration conf) {
        if (recordLength <= 0) {
            throw new IllegalArgumentException("recordLength must be > 0: " + recordLength);
        }
        Configuration c = new Configuration(conf);
        FixedLengthInputFormat.setRecordLength(c, recordLength);
        PairDataset<Long, byte[]> records = hadoopFile(
                path,
                FixedLengthInputFormat.class,
                org.apache.hadoop.io.LongWritable.class,
                org.apache.hadoop.io.BytesWritable.class,
                c);
        return records.values();
    }

    /** Each file under {@code path} as one (path, UTF-8 content) pair; small files grouped into splits. */
    public PairDataset<String, String> wholeTextFiles(String path, int minPartitions) {
        return ctx.readPairs((id, site, conf) -> new WholeFileNode(id, site, path, minPartitions, conf));
    }

    /**
     * Parquet files as rows of primitives and strings, through Parquet's own ParquetInputFormat (splits by row
     * group, located where their blocks are). With {@code columns}, only those columns are read: Parquet decodes
     * (and HDFS serves) only their column chunks.
     */
    public Dataset<Row> parquetFile(String path, String... columns) {
        return ParquetInput.read(ctx, newConf(), path, columns);
    }

    /**
     * CSV files as rows, split by lines like text (gzip whole, bzip2 split). Without a schema in {@code options} the
     * first file's header line names the columns, all STRING; with one, values are parsed to its types. A malformed
     * line (broken quoting, a wrong number of fields, a value of the wrong type) fails naming the file and the line's
     * offset, or is dropped and counted (see {@link MalformedRows}).
     */
    public Dataset<Row> csvFile(String path, CsvOptions options) {
        Objects.requireNonNull(options, "options is null");
        RowSchema schema = options.schema();
        if (schema == null) {
            if (!options.header()) {
                throw new IllegalArgumentException("CSV without a header line needs a schema (CsvOptions.withSchema)");
            }
            schema = CsvRows.schemaOfHeader(FirstFile.firstLine(path, newConf()), options);
        }
        RowSchema columns = schema;
        return lines(path).mapPartitions(it -> CsvRows.rows(it, columns, options));
    }

    /**
     * JSON lines (one object per line) as rows of {@code schema}: missing or null fields are null, other fields
     * ignored; a malformed line fails naming file and offset, or is dropped and counted.
     */
    public Dataset<Row> jsonLines(String path, RowSchema schema, MalformedRows malformed) {
        Objects.requireNonNull(schema, "schema is null");
        Objects.requireNonNull(malformed, "malformed is null");
        return lines(path).mapPartitions(it -> JsonLines.rows(it, schema, malformed));
    }

    /** {@link #jsonLines(String, RowSchema, MalformedRows)} failing on a malformed line. */
    public Dataset<Row> jsonLines(String path, RowSchema schema) {
        return jsonLines(path, schema, MalformedRows.fail());
    }

    private Dataset<TextLine> lines(String path) {
        int minPartitions = Math.min(2, ctx.defaultParallelism());
        return ctx.read((id, site, conf) -> new TextFileNode<>(id, site, path, minPartitions, conf, TextLine::new));
    }

    /**
     * ORC files as rows (flat structs of numbers, booleans, strings, binary), through ORC's OrcInputFormat (splits
     * located where their blocks are). With {@code columns}, only those columns are read.
     */
    public Dataset<Row> orcFile(String path, String... columns) {
        return OrcInput.read(ctx, newConf(), path, columns);
    }

    // ---- output -----------------------------------------------------------------------------------

    /** Rows of {@code schema} as ORC files (compression: ORC's name, e.g. ZSTD, SNAPPY, ZLIB, NONE). */
    public static void saveAsOrc(Dataset<Row> ds, String path, RowSchema schema, String compression) {
        ds.save(path, PartFileCommitter.factory(new OrcPartFormat(schema, compression)));
    }

    /** {@link #saveAsOrc(Dataset, String, RowSchema, String)} with ZSTD, ORC's default. */
    public static void saveAsOrc(Dataset<Row> ds, String path, RowSchema schema) {
        saveAsOrc(ds, path, schema, "ZSTD");
    }

    /** Rows of {@code schema} as CSV part files ({@code options}: delimiter, quote, header line). */
    public static void saveAsCsv(Dataset<Row> ds, String path, RowSchema schema, CsvOptions options) {
        ds.save(path, PartFileCommitter.factory(new CsvPartFormat(schema, options)));
    }

    /** Rows of {@code schema} as JSON-lines part files. */
    public static void saveAsJsonLines(Dataset<Row> ds, String path, RowSchema schema) {
        ds.save(path, PartFileCommitter.factory(new JsonLinesPartFormat(schema)));
    }

    /** Rows of {@code schema} as Parquet files (codec: Parquet's name, e.g. SNAPPY, ZSTD, GZIP, UNCOMPRESSED). */
    public static void saveAsParquet(Dataset<Row> ds, String path, RowSchema schema, String codec) {
        ds.save(path, PartFileCommitter.factory(new ParquetPartFormat(schema, codec)));
    }

    /** {@link #saveAsParquet(Dataset, String, RowSchema, String)} with SNAPPY, Parquet's usual codec. */
    public static void saveAsParquet(Dataset<Row> ds, String path, RowSchema schema) {
        saveAsParquet(ds, path, schema, "SNAPPY");
    }

    /** One text file per partition, compressed with {@code codec} (part names carry its extension, e.g. ".gz"). */
    public static void saveAsTextFile(Dataset<?> ds, String path, Class<? extends CompressionCodec> codec) {
        ds.save(path, PartFileCommitter.factory(new PartFormat.TextLines(PartFormat.checkedCodec(codec))));
    }

    /** byte[] records of exactly {@code recordLength} bytes, back to back (what {@link #binaryRecords} reads). */
    public static void saveAsBinaryRecords(Dataset<byte[]> ds, String path, int recordLength) {
        ds.save(path, PartFileCommitter.factory(new PartFormat.FixedLengthRecords(recordLength)));
    }

    /**
     * A SequenceFile per partition through Hadoop's SequenceFileOutputFormat and FileOutputCommitter.
     *
     * @param keyType the Weft type of the keys (String, Long, …, or a Writable class), which the file's header names
     *     as its Writable class
     */
    public static void saveAsSequenceFile(PairDataset<?, ?> ds, String path, Class<?> keyType, Class<?> valueType) {
        saveAsHadoopFile(ds, path, SequenceFileOutputFormat.class, keyType, valueType);
    }

    /** Pairs through any Hadoop OutputFormat (either API) and its OutputCommitter, with the context's settings. */
    public static void saveAsHadoopFile(
            PairDataset<?, ?> ds, String path, Class<?> outputFormat, Class<?> keyType, Class<?> valueType) {
        saveAsHadoopFile(
                ds,
                path,
                outputFormat,
                keyType,
                valueType,
                new Configuration(ds.context().hadoopConf()));
    }

    /** {@link #saveAsHadoopFile(PairDataset, String, Class, Class, Class)} with the format's settings in {@code conf}. */
    public static void saveAsHadoopFile(
            PairDataset<?, ?> ds,
            String path,
            Class<?> outputFormat,
            Class<?> keyType,
            Class<?> valueType,
            Configuration conf) {
        Objects.requireNonNull(outputFormat, "outputFormat is null");
        if (org.apache.hadoop.mapred.OutputFormat.class.isAssignableFrom(outputFormat)) {
            ds.save(path, MapredOutputProtocol.factory(outputFormat, keyType, valueType, conf));
        } else {
            ds.save(path, HadoopOutputProtocol.factory(outputFormat, keyType, valueType, conf));
        }
    }
}
