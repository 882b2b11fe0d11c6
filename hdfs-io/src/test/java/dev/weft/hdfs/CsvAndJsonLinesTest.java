package dev.weft.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.LongAccumulator;
import dev.weft.api.WeftContext;
import dev.weft.conf.WeftConf;
import dev.weft.hdfs.rows.CsvOptions;
import dev.weft.hdfs.rows.MalformedRows;
import dev.weft.hdfs.rows.Row;
import dev.weft.hdfs.rows.RowSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV and JSON lines written by Weft, read back exactly; malformed lines fail naming file and offset, or counted. */
class CsvAndJsonLinesTest {
    static WeftContext ctx;
    static HadoopFiles files;

    static final RowSchema SCHEMA = RowSchema.builder()
            .int64("id")
            .string("text")
            .float64("score")
            .bool("flag")
            .build();

    @BeforeAll
    static void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"));
        files = HadoopFiles.of(ctx);
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    /** Texts with the delimiter, quotes, Unicode and empty values; some nulls. */
    static List<Row> rows(int n) {
        Random rnd = new Random(9);
        String[] texts = {"plain", "with, comma", "with \"quotes\"", "semi;colon", "ünïcødé", " spaced "};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Row.of(
                    SCHEMA,
                    (long) i,
                    texts[rnd.nextInt(texts.length)] + i,
                    i % 7 == 0 ? null : rnd.nextInt(10_000) / 4.0,
                    i % 11 == 0 ? null : rnd.nextBoolean()));
        }
        return rows;
    }

    static List<Row> byId(List<Row> rows) {
        List<Row> c = new ArrayList<>(rows);
        c.sort(Comparator.comparing(r -> r.getLong("id")));
        return c;
    }

    @Test
    void csvRoundTripsWithQuotingAndAHeaderAcrossSplits(@TempDir Path dir) {
        List<Row> rows = rows(5000);
        for (char delimiter : new char[] {',', ';'}) {
            CsvOptions options = CsvOptions.defaults().withDelimiter(delimiter).withSchema(SCHEMA);
            String out = dir.resolve("csv" + (int) delimiter).toString();
            HadoopFiles.saveAsCsv(ctx.parallelize(rows, 3), out, SCHEMA, options);
            assertEquals(rows, byId(files.csvFile(out, options).collect()), "delimiter " + delimiter);
        }
        // Without a schema the header names STRING columns.
        List<Row> strings = files.csvFile(dir.resolve("csv44").toString(), CsvOptions.defaults())
                .collect();
        assertEquals(rows.size(), strings.size());
        Row first = strings.stream()
                .filter(r -> r.getString("id").equals("0"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                RowSchema.builder()
                        .string("id")
                        .string("text")
                        .string("score")
                        .string("flag")
                        .build(),
                first.schema());
        assertEquals(rows.get(0).getString("text"), first.getString("text"));
    }

    @Test
    void aMalformedCsvLineFailsNamingFileAndOffsetOrIsCounted(@TempDir Path dir) throws Exception {
        // One malformed line: whichever split's task fails first, the failure names that line.
        Path one = dir.resolve("one/people.csv");
        Files.createDirectories(one.getParent());
        String good = "id,text,score,flag\n1,a,1.5,true\n";
        String bad = "2,\"unterminated,2.0,false\n";
        Files.writeString(one, good + bad + "4,d,4.0,false\n");
        CsvOptions options = CsvOptions.defaults().withSchema(SCHEMA);
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> files.csvFile(one.toString(), options).count());
        String msg = HadoopFormatsTest.messages(e);
        assertTrue(msg.contains("people.csv at byte " + good.length()) && msg.contains("broken quoting"), msg);

        Path f = dir.resolve("people.csv");
        Files.writeString(f, good + bad + "3,c,x,true\n4,d,4.0,false\n5,e\n");

        LongAccumulator dropped = ctx.longAccumulator("malformed csv");
        List<Row> kept = files.csvFile(f.toString(), options.withMalformed(MalformedRows.dropAndCount(dropped)))
                .collect();
        assertEquals(List.of(Row.of(SCHEMA, 1L, "a", 1.5, true), Row.of(SCHEMA, 4L, "d", 4.0, false)), byId(kept));
        assertEquals(3L, dropped.value(), "the unterminated quote, the non-number and the short line");
    }

    @Test
    void jsonLinesRoundTripAndMissingFieldsAreNull(@TempDir Path dir) throws Exception {
        List<Row> rows = rows(5000);
        String out = dir.resolve("json").toString();
        HadoopFiles.saveAsJsonLines(ctx.parallelize(rows, 3), out, SCHEMA);
        assertEquals(rows, byId(files.jsonLines(out, SCHEMA).collect()));

        Path f = dir.resolve("events.jsonl");
        Files.writeString(
                f, "{\"id\": 1, \"text\": \"x\", \"extra\": [1, 2]}\n\n{\"id\": 2, \"flag\": true, \"score\": 2}\n");
        assertEquals(
                List.of(Row.of(SCHEMA, 1L, "x", null, null), Row.of(SCHEMA, 2L, null, 2.0, true)),
                byId(files.jsonLines(f.toString(), SCHEMA).collect()));
    }

    @Test
    void aMalformedJsonLineFailsNamingFileAndOffsetOrIsCounted(@TempDir Path dir) throws Exception {
        // One malformed line: whichever split's task fails first, the failure names that line.
        Path one = dir.resolve("one/events.jsonl");
        Files.createDirectories(one.getParent());
        String good = "{\"id\": 1}\n";
        Files.writeString(one, good + "{\"id\": 2,\n{\"id\": 5}\n");
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> files.jsonLines(one.toString(), SCHEMA).count());
        String msg = HadoopFormatsTest.messages(e);
        assertTrue(msg.contains("events.jsonl at byte " + good.length()) && msg.contains("not JSON"), msg);

        Path f = dir.resolve("events.jsonl");
        Files.writeString(f, good + "{\"id\": 2,\n{\"id\": \"three\"}\n[4]\n{\"id\": 5}\n");

        LongAccumulator dropped = ctx.longAccumulator("malformed json");
        List<Row> kept = files.jsonLines(f.toString(), SCHEMA, MalformedRows.dropAndCount(dropped))
                .collect();
        assertEquals(List.of(Row.of(SCHEMA, 1L, null, null, null), Row.of(SCHEMA, 5L, null, null, null)), byId(kept));
        assertEquals(3L, dropped.value(), "broken JSON, a string id, an array");
    }
}
