package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Dataset;
import dev.weft.api.WeftContext;
import dev.weft.conf.WeftConf;
import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.hdfs.HadoopFiles;
import dev.weft.hdfs.rows.Row;
import dev.weft.hdfs.rows.RowSchema;
import dev.weft.it.FormatJobs;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.Test;

/**
 * hdfs-io on MiniDFS, through {@code yarn jar} on the shared MiniYARN cluster: SequenceFiles both ways against
 * Hadoop's own reader and writer, binaryRecords + raw output (TeraSort's layout) against a plain-Java sort, a torn
 * record file named in the failure, compressed text against plain text, and a custom InputFormat / OutputFormat from
 * this test jar whose commits survive an executor dying between write and commit and leave nothing when the job
 * fails.
 */
@WeftCluster(shared = true)
class SharedClusterHadoopFormatsTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @Test
    void aSequenceFileWrittenByHadoopIsReadExactlyAndWeftsIsReadByHadoop(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path in = new Path("/formats/seq/in/data.seq");
        Path out = new Path("/formats/seq/out");
        Map<String, Long> ref = new TreeMap<>();
        Random rnd = new Random(11);
        try (SequenceFile.Writer w = SequenceFile.createWriter(
                fs.getConf(),
                SequenceFile.Writer.file(fs.makeQualified(in)),
                SequenceFile.Writer.keyClass(Text.class),
                SequenceFile.Writer.valueClass(LongWritable.class))) {
            for (int i = 0; i < 20_000; i++) {
                String k = "k" + i + "-" + rnd.nextInt(1000);
                long v = rnd.nextInt(1_000_000);
                ref.put(k, v);
                w.append(new Text(k), new LongWritable(v));
            }
        }
        JobOutcome outcome = cluster.submit(
                        FormatJobs.SequenceCopy.class, in.getParent().toString(), out.toString())
                .await(TIMEOUT);
        assertTrue(outcome.succeeded(), outcome::toString);
        WeftAssertions.assertCommitted(fs, out);
        Map<String, Long> got = new TreeMap<>();
        for (FileStatus part : fs.listStatus(out, p -> p.getName().startsWith("part-"))) {
            try (SequenceFile.Reader r =
                    new SequenceFile.Reader(fs.getConf(), SequenceFile.Reader.file(part.getPath()))) {
                Text k = new Text();
                LongWritable v = new LongWritable();
                while (r.next(k, v)) {
                    assertNull(got.put(k.toString(), v.get()), "written twice: " + k);
                }
            }
        }
        Map<String, Long> doubled = new TreeMap<>();
        ref.forEach((k, v) -> doubled.put(k, v * 2));
        assertEquals(doubled, got);
    }

    @Test
    void binaryRecordsSortedAndWrittenRawEqualAPlainJavaSort(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path in = new Path("/formats/terasort/in");
        Path out = new Path("/formats/terasort/out");
        Random rnd = new Random(5);
        List<byte[]> ref = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        // 3 files whose sizes are no multiple of the 64 KiB split: split boundaries fall inside records.
        for (int f = 0; f < 3; f++) {
            int n = 1_234 + 1_111 * f;
            try (FSDataOutputStream os = fs.create(new Path(in, "part-" + f))) {
                for (int i = 0; i < n; i++) {
                    byte[] r = new byte[100];
                    do {
                        rnd.nextBytes(r);
                    } while (!keys.add(java.util.HexFormat.of().formatHex(r, 0, 10)));
                    os.write(r);
                    ref.add(r);
                }
            }
        }
        JobOutcome outcome = cluster.submit(FormatJobs.SortRecords.class, in.toString(), out.toString(), "65536", "3")
                .await(TIMEOUT);
        assertTrue(outcome.succeeded(), outcome::toString);
        WeftAssertions.assertCommitted(fs, out);
        assertTrue(
                outcome.events().launchedAttempts(0) > 3,
                "more splits than files: " + outcome.events().launchedAttempts(0));
        ref.sort((x, y) -> Arrays.compareUnsigned(x, 0, 10, y, 0, 10)); // TeraSort's order
        List<byte[]> got = new ArrayList<>();
        FileStatus[] parts = fs.listStatus(out, p -> p.getName().startsWith("part-"));
        Arrays.sort(parts);
        for (FileStatus part : parts) {
            assertEquals(0, part.getLen() % 100, part.getPath().toString());
            byte[] all = new byte[(int) part.getLen()];
            try (var is = fs.open(part.getPath())) {
                is.readFully(all);
            }
            for (int i = 0; i < all.length; i += 100) {
                got.add(Arrays.copyOfRange(all, i, i + 100));
            }
        }
        assertEquals(ref.size(), got.size());
        for (int i = 0; i < ref.size(); i++) {
            assertTrue(Arrays.equals(ref.get(i), got.get(i)), "record " + i + " of the sorted output");
        }
    }

    @Test
    void aRecordFileOfTornLengthFailsTheJobNamingTheFile(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path in = new Path("/formats/torn/in");
        Path out = new Path("/formats/torn/out");
        try (FSDataOutputStream os = fs.create(new Path(in, "whole-records"))) {
            os.write(new byte[10_000]);
        }
        try (FSDataOutputStream os = fs.create(new Path(in, "torn-records"))) {
            os.write(new byte[10_050]);
        }
        JobOutcome outcome = cluster.submit(FormatJobs.SortRecords.class, in.toString(), out.toString(), "65536", "2")
                .await(TIMEOUT);
        assertNotEquals(0, outcome.exitCode(), outcome::toString);
        String diagnostics = outcome.driver().getDiagnostics();
        assertTrue(diagnostics.contains("torn-records"), diagnostics);
        assertFalse(fs.exists(out), "a failed job leaves no output");
    }

    @Test
    void gzipAndBzip2TextCountTheSameWordsAsPlainTextAndBzip2IsSplit(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path plain = new Path("/formats/compressed/words.txt");
        Demo.writeText(fs, plain, 40_000, 7);
        List<String> expected = new ArrayList<>(Reference.wordCountLines(fs, plain));
        expected.sort(Comparator.naturalOrder());
        Map<String, Path> inputs = new TreeMap<>();
        inputs.put("plain", plain);
        for (Class<? extends CompressionCodec> c : List.of(GzipCodec.class, BZip2Codec.class)) {
            CompressionCodec codec = ReflectionUtils.newInstance(c, fs.getConf());
            Path p = new Path("/formats/compressed/words.txt" + codec.getDefaultExtension());
            try (var is = fs.open(plain);
                    OutputStream os = codec.createOutputStream(fs.create(p))) {
                is.transferTo(os);
            }
            inputs.put(c.getSimpleName(), p);
        }
        // The driver and its tasks in this JVM (the local backend), reading MiniDFS.
        try (WeftContext ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"), fs.getConf())) {
            for (Map.Entry<String, Path> e : inputs.entrySet()) {
                Dataset<String> lines =
                        HadoopFiles.of(ctx).textFile(e.getValue().toString(), 4);
                if (e.getKey().equals("BZip2Codec")) {
                    assertTrue(lines.numPartitions() > 1, "bzip2 split: " + lines.numPartitions());
                }
                if (e.getKey().equals("GzipCodec")) {
                    assertEquals(1, lines.numPartitions(), "gzip is not splittable");
                }
                List<String> counts = lines.flatMap(WordCount::words)
                        .mapToPair(w -> dev.weft.core.Pair.of(w, 1L))
                        .reduceByKey(Long::sum, 3)
                        .map(p -> "(" + p.key() + "," + p.value() + ")")
                        .collect();
                counts.sort(Comparator.naturalOrder());
                assertEquals(expected, counts, e.getKey());
            }
        }
    }

    /** Row {@code i} of the Parquet and ORC tests, a pure function of i: the reference every read row is checked against. */
    static Row parquetRow(long i) {
        return Row.of(
                PARQUET_SCHEMA,
                i,
                "name-" + (i * 31 % 1000),
                (i % 1000) / 8.0,
                i % 3 == 0,
                i % 10 == 0 ? null : "note " + Long.toHexString(i * 0x9E3779B97F4A7C15L));
    }

    static final RowSchema PARQUET_SCHEMA = RowSchema.builder()
            .int64("id")
            .string("name")
            .float64("score")
            .bool("flag")
            .string("note")
            .build();

    @Test
    void aMillionRowsRoundTripInParquetAndOrcAndAProjectionOfTwoColumnsReadsOnlyThose(WeftTestCluster cluster)
            throws Exception {
        for (String format : List.of("parquet", "orc")) {
            millionRows(cluster, format);
        }
    }

    private static void millionRows(WeftTestCluster cluster, String format) throws Exception {
        FileSystem fs = cluster.fileSystem();
        String table =
                fs.makeQualified(new Path("/formats/" + format + "/table")).toString();
        long n = 1_000_000;
        try (WeftContext ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"), fs.getConf())) {
            List<Long> starts = List.of(0L, 250_000L, 500_000L, 750_000L);
            Dataset<Row> generated = ctx.parallelize(starts, 4)
                    .flatMap(s -> java.util.stream.LongStream.range(s, s + n / 4)
                            .mapToObj(SharedClusterHadoopFormatsTest::parquetRow)
                            .iterator());
            if (format.equals("parquet")) {
                HadoopFiles.saveAsParquet(generated, table, PARQUET_SCHEMA);
            } else {
                HadoopFiles.saveAsOrc(generated, table, PARQUET_SCHEMA);
            }
            WeftAssertions.assertCommitted(fs, new Path(table));
            HadoopFiles files = HadoopFiles.of(ctx);

            long before = ctx.metrics().inputBytes;
            // Every row read equals the reference row of its id, and every id appears once (count and id sum).
            Dataset<Row> all = format.equals("parquet") ? files.parquetFile(table) : files.orcFile(table);
            List<Long> whole = all.map(
                            r -> r.equals(parquetRow(r.getLong("id"))) ? r.getLong("id") : -1L - r.getLong("id"))
                    .mapPartitions(SharedClusterHadoopFormatsTest::countSumBad)
                    .collect();
            long wholeBytes = ctx.metrics().inputBytes - before;
            assertEquals(List.of(n, n * (n - 1) / 2, 0L), sumTriples(whole), format + ": count, id sum, rows unequal");

            before = ctx.metrics().inputBytes;
            RowSchema two = PARQUET_SCHEMA.select(List.of("id", "score"));
            Dataset<Row> projection = format.equals("parquet")
                    ? files.parquetFile(table, "id", "score")
                    : files.orcFile(table, "id", "score");
            List<Long> projected = projection
                    .map(r -> {
                        Row ref = parquetRow(r.getLong("id"));
                        boolean same = r.equals(Row.of(two, ref.get("id"), ref.get("score")));
                        return same ? r.getLong("id") : -1L - r.getLong("id");
                    })
                    .mapPartitions(SharedClusterHadoopFormatsTest::countSumBad)
                    .collect();
            long projectedBytes = ctx.metrics().inputBytes - before;
            assertEquals(
                    List.of(n, n * (n - 1) / 2, 0L), sumTriples(projected), format + ": count, id sum, rows unequal");
            long fileBytes = 0;
            for (FileStatus st : fs.listStatus(new Path(table), p -> p.getName().startsWith("part-"))) {
                fileBytes += st.getLen();
            }
            System.out.printf(
                    java.util.Locale.ROOT,
                    "%s 1M rows: files %d B, whole read %d B, 2-of-5 projection read %d B (%.0f%%)%n",
                    format,
                    fileBytes,
                    wholeBytes,
                    projectedBytes,
                    100.0 * projectedBytes / wholeBytes);
            assertTrue(wholeBytes >= fileBytes * 9 / 10, format + ": a whole read reads the files: " + wholeBytes);
            assertTrue(
                    projectedBytes < wholeBytes / 2,
                    format + ": the projection reads only its columns: " + projectedBytes + " of " + wholeBytes);
        }
    }

    /** A partition of ids (negative: a row unequal to its reference) as (count, sum of ids, unequal rows). */
    private static java.util.Iterator<Long> countSumBad(java.util.Iterator<Long> ids) {
        long count = 0;
        long sum = 0;
        long bad = 0;
        while (ids.hasNext()) {
            long id = ids.next();
            count++;
            if (id < 0) {
                bad++;
            } else {
                sum += id;
            }
        }
        return List.of(count, sum, bad).iterator();
    }

    /** Adds up (count, sum, bad) triples, one per partition. */
    private static List<Long> sumTriples(List<Long> flat) {
        long[] t = new long[3];
        for (int i = 0; i < flat.size(); i++) {
            t[i % 3] += flat.get(i);
        }
        return List.of(t[0], t[1], t[2]);
    }

    @Test
    void aCustomInputAndOutputFormatFromTheTestJarWorkThroughYarnJar(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path out = new Path("/formats/custom/ok");
        JobOutcome outcome = cluster.submit(
                        FormatJobs.CustomFormats.class, "100000", out.toString(), "/formats/custom/gate-ok", "ok")
                .await(TIMEOUT);
        assertTrue(outcome.succeeded(), outcome::toString);
        assertEquals(customReference(100_000), readKeyValues(fs, out));
        assertEquals(List.of("_SUCCESS", "part-r-00000.kv", "part-r-00001.kv", "part-r-00002.kv"), names(fs, out));
    }

    @Test
    void anAttemptKilledAfterWritingBeforeCommitLeavesNoTrace(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path out = new Path("/formats/custom/killed");
        Path gate = new Path("/formats/custom/gate-killed");
        SubmittedJob job = cluster.submit(
                FormatJobs.CustomFormats.class,
                "-D",
                "weft.executor.instances=1",
                "100000",
                out.toString(),
                gate.toString(),
                "kill-before-commit");
        Path written = new Path(gate, "partition-0");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!fs.exists(written) && !job.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(100); // polling an HDFS marker the attempt leaves once its file is written
        }
        assertTrue(fs.exists(written), "the first attempt of partition 0 wrote its file and waits before its commit");
        cluster.killExecutorContainer(job);
        JobOutcome outcome = job.await(TIMEOUT);
        assertTrue(outcome.succeeded(), outcome::toString);
        assertFalse(outcome.events().lostExecutors().isEmpty(), "its executor died: " + outcome.events());
        assertEquals(customReference(100_000), readKeyValues(fs, out));
        assertEquals(
                List.of("_SUCCESS", "part-r-00000.kv", "part-r-00001.kv", "part-r-00002.kv"),
                names(fs, out),
                "nothing of the dead attempt, no _temporary");
    }

    @Test
    void aFailedJobLeavesNoSuccessMarkerAndNoPartFiles(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path out = new Path("/formats/custom/failed");
        JobOutcome outcome = cluster.submit(
                        FormatJobs.CustomFormats.class, "100000", out.toString(), "/formats/custom/gate-failed", "fail")
                .await(TIMEOUT);
        assertNotEquals(0, outcome.exitCode(), outcome::toString);
        assertTrue(
                outcome.driver().getDiagnostics().contains("partition 1 fails after writing"),
                outcome.driver().getDiagnostics());
        assertFalse(fs.exists(out), "neither _SUCCESS nor the committed parts of partitions 0 and 2");
    }

    private static Map<String, Long> customReference(long n) {
        Map<String, Long> ref = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            ref.merge("r" + (i % 97), 1L, Long::sum);
        }
        return ref;
    }

    private static Map<String, Long> readKeyValues(FileSystem fs, Path out) throws IOException {
        Map<String, Long> got = new TreeMap<>();
        for (FileStatus part : fs.listStatus(out, p -> p.getName().startsWith("part-"))) {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(fs.open(part.getPath()), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] kv = line.split("=");
                    assertNull(got.put(kv[0], Long.parseLong(kv[1])), "written twice: " + line);
                }
            }
        }
        return got;
    }

    private static List<String> names(FileSystem fs, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus st : fs.listStatus(dir)) {
            names.add(st.getPath().getName());
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }
}
