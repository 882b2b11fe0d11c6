package dev.weft.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Dataset;
import dev.weft.api.WeftContext;
import dev.weft.conf.WeftConf;
import dev.weft.hdfs.rows.Row;
import dev.weft.hdfs.rows.RowSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Parquet and ORC rows written by Weft and read back, whole and projected, against the rows written. */
class TableFilesTest {
    /** The two columnar formats, each with its writer, reader and part-file extension. */
    enum Format {
        PARQUET(".parquet", "Parquet"),
        ORC(".orc", "ORC");

        final String extension;
        final String name;

        Format(String extension, String name) {
            this.extension = extension;
            this.name = name;
        }

        void save(Dataset<Row> rows, String path, RowSchema schema) {
            if (this == PARQUET) {
                HadoopFiles.saveAsParquet(rows, path, schema);
            } else {
                HadoopFiles.saveAsOrc(rows, path, schema);
            }
        }

        Dataset<Row> read(HadoopFiles files, String path, String... columns) {
            return this == PARQUET ? files.parquetFile(path, columns) : files.orcFile(path, columns);
        }
    }

    static WeftContext ctx;

    static final RowSchema SCHEMA = RowSchema.builder()
            .int64("id")
            .string("name")
            .float64("score")
            .bool("flag")
            .string("note")
            .build();

    @BeforeAll
    static void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"));
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    static List<Row> rows(int n, long seed) {
        Random rnd = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Row.of(
                    SCHEMA,
                    (long) i,
                    "name-" + rnd.nextInt(1000),
                    rnd.nextDouble(),
                    rnd.nextBoolean(),
                    i % 10 == 0
                            ? null
                            : "note " + Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong())));
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void rowsRoundTripWholeAndProjectedAndTheProjectionReadsFewerBytes(Format format, @TempDir Path dir)
            throws Exception {
        List<Row> rows = rows(20_000, 3);
        Path out = dir.resolve("table");
        format.save(ctx.parallelize(rows, 3), out.toString(), SCHEMA);
        try (Stream<Path> parts = Files.list(out)) {
            assertEquals(
                    List.of(
                            "_SUCCESS",
                            "part-00000" + format.extension,
                            "part-00001" + format.extension,
                            "part-00002" + format.extension),
                    parts.map(p -> p.getFileName().toString())
                            .filter(n -> !n.startsWith("."))
                            .sorted()
                            .toList());
        }
        HadoopFiles files = HadoopFiles.of(ctx);
        long before = ctx.metrics().inputBytes;
        List<Row> whole = new ArrayList<>(format.read(files, out.toString()).collect());
        long wholeBytes = ctx.metrics().inputBytes - before;
        whole.sort(Comparator.comparing(r -> r.getLong("id")));
        assertEquals(rows, whole);

        before = ctx.metrics().inputBytes;
        List<Row> projected =
                new ArrayList<>(format.read(files, out.toString(), "note", "id").collect());
        long projectedBytes = ctx.metrics().inputBytes - before;
        projected.sort(Comparator.comparing(r -> r.getLong("id")));
        RowSchema two = SCHEMA.select(List.of("note", "id"));
        List<Row> reference = new ArrayList<>();
        for (Row r : rows) {
            reference.add(Row.of(two, r.get("note"), r.get("id")));
        }
        assertEquals(reference, projected);
        if (format == Format.PARQUET) {
            // ORC reads its column streams with Hadoop's vectored reads, which the local file system serves on other
            // threads, outside the task's per-thread byte count; SharedClusterHadoopFormatsTest checks ORC's
            // projection on HDFS, which serves vectored reads on the reading thread.
            assertTrue(
                    projectedBytes > 0 && projectedBytes < wholeBytes,
                    "projected " + projectedBytes + " B, whole " + wholeBytes + " B");
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void badInputIsNamed(Format format, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("t");
        format.save(ctx.parallelize(rows(10, 1), 1), out.toString(), SCHEMA);
        IllegalArgumentException noColumn = assertThrows(
                IllegalArgumentException.class, () -> format.read(HadoopFiles.of(ctx), out.toString(), "nope"));
        assertTrue(noColumn.getMessage().contains("no column nope"), noColumn.getMessage());
        RowSchema other = RowSchema.builder().int64("id").build();
        RuntimeException wrongRows = assertThrows(
                RuntimeException.class,
                () -> format.save(
                        ctx.parallelize(rows(10, 1), 1), dir.resolve("u").toString(), other));
        assertTrue(
                HadoopFormatsTest.messages(wrongRows)
                        .contains("this " + format.name + " output takes rows of (id long)"),
                HadoopFormatsTest.messages(wrongRows));
        assertThrows(IllegalArgumentException.class, () -> Row.of(SCHEMA, 1, "a", 1.0, true, "n"));
    }
}
