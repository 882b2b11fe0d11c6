package dev.weft.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Dataset;
import dev.weft.api.PairDataset;
import dev.weft.api.WeftContext;
import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hadoop's formats through both APIs on the local file system, each checked against Hadoop's own reader or writer or a
 * plain-Java reference. (integration-tests run the same on MiniDFS and through YARN.)
 */
class HadoopFormatsTest {
    static WeftContext ctx;
    static HadoopFiles files;

    @BeforeAll
    static void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"));
        files = HadoopFiles.of(ctx);
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    static Map<String, Long> counts(int n, long seed) {
        Random rnd = new Random(seed);
        Map<String, Long> ref = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            ref.put("key-" + i + "-" + rnd.nextInt(1000), rnd.nextLong());
        }
        return ref;
    }

    @Test
    void aSequenceFileWrittenByHadoopIsReadExactlyAndOneWrittenByWeftIsReadByHadoop(@TempDir Path dir)
            throws Exception {
        Configuration conf = files.newConf();
        Map<String, Long> ref = counts(5000, 1);
        org.apache.hadoop.fs.Path in =
                new org.apache.hadoop.fs.Path(dir.resolve("in/data.seq").toUri());
        try (SequenceFile.Writer w = SequenceFile.createWriter(
                conf,
                SequenceFile.Writer.file(in),
                SequenceFile.Writer.keyClass(Text.class),
                SequenceFile.Writer.valueClass(LongWritable.class))) {
            for (Map.Entry<String, Long> e : ref.entrySet()) {
                w.append(new Text(e.getKey()), new LongWritable(e.getValue()));
            }
        }
        PairDataset<String, Long> read = files.sequenceFile(in.toString(), Text.class, LongWritable.class);
        assertEquals(ref, toMap(read.collect()));

        Path out = dir.resolve("out");
        HadoopFiles.saveAsSequenceFile(read.mapValues(v -> v + 1), out.toString(), String.class, Long.class);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        Map<String, Long> back = new TreeMap<>();
        for (Path part : parts(out)) {
            try (SequenceFile.Reader r = new SequenceFile.Reader(
                    conf, SequenceFile.Reader.file(new org.apache.hadoop.fs.Path(part.toUri())))) {
                assertEquals(Text.class, r.getKeyClass());
                assertEquals(LongWritable.class, r.getValueClass());
                Text k = new Text();
                LongWritable v = new LongWritable();
                while (r.next(k, v)) {
                    assertEquals(null, back.put(k.toString(), v.get()), "twice: " + k);
                }
            }
        }
        Map<String, Long> plusOne = new TreeMap<>();
        ref.forEach((k, v) -> plusOne.put(k, v + 1));
        assertEquals(plusOne, back);
    }

    @Test
    void binaryRecordsReturnEveryRecordOnceAcrossSplitsNotOnRecordBoundaries(@TempDir Path dir) throws Exception {
        int len = 100;
        Random rnd = new Random(7);
        List<byte[]> ref = new ArrayList<>();
        Path in = Files.createDirectories(dir.resolve("in"));
        // Sizes that are no multiple of the 4096-byte split: split boundaries fall inside records.
        for (int f = 0; f < 3; f++) {
            int n = 137 + f * 91;
            byte[] file = new byte[n * len];
            rnd.nextBytes(file);
            Files.write(in.resolve("part-" + f), file);
            for (int i = 0; i < n; i++) {
                ref.add(Arrays.copyOfRange(file, i * len, (i + 1) * len));
            }
        }
        Configuration conf = files.newConf();
        conf.setLong(FileInputFormat.SPLIT_MAXSIZE, 4096);
        Dataset<byte[]> records = files.binaryRecords(in.toString(), len, conf);
        assertTrue(records.numPartitions() > 3 * 3, "" + records.numPartitions());
        List<byte[]> got = records.collect();
        assertEquals(hex(ref), hex(got));

        // raw output of a sort: files of records back to back, read again by binaryRecords
        Path out = dir.resolve("sorted");
        HadoopFiles.saveAsBinaryRecords(
                records.mapToPair(r -> Pair.of(java.util.HexFormat.of().formatHex(r), r))
                        .sortByKey(true, 4)
                        .values(),
                out.toString(),
                len);
        List<String> sortedRef = hex(ref);
        List<String> again = new ArrayList<>();
        for (Path part : parts(out)) {
            byte[] bytes = Files.readAllBytes(part);
            assertEquals(0, bytes.length % len, part.toString());
            for (int i = 0; i < bytes.length; i += len) {
                again.add(java.util.HexFormat.of().formatHex(bytes, i, i + len));
            }
        }
        assertEquals(sortedRef, again, "parts in order hold the records sorted");
    }

    @Test
    void aFileThatIsNoMultipleOfTheRecordLengthFailsNamingTheFile(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("good"), new byte[1000]);
        Files.write(in.resolve("torn-file"), new byte[1050]);
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> files.binaryRecords(in.toString(), 100).count());
        String msg = messages(e);
        assertTrue(msg.contains("torn-file"), msg);
    }

    @Test
    void hadoopFileReadsThroughBothApis(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add("line " + i + " " + "x".repeat(i % 37));
        }
        Path f = dir.resolve("in.txt");
        Files.write(f, lines);
        Configuration conf = files.newConf();
        conf.setLong(FileInputFormat.SPLIT_MAXSIZE, 10_000);
        PairDataset<Long, String> newApi = files.hadoopFile(
                f.toString(),
                org.apache.hadoop.mapreduce.lib.input.TextInputFormat.class,
                LongWritable.class,
                Text.class,
                conf);
        PairDataset<Long, String> oldApi = files.hadoopFile(
                f.toString(), org.apache.hadoop.mapred.TextInputFormat.class, LongWritable.class, Text.class, conf);
        assertTrue(newApi.numPartitions() > 1);
        List<Pair<Long, String>> ref = new ArrayList<>();
        long offset = 0;
        for (String l : lines) {
            ref.add(Pair.of(offset, l));
            offset += l.length() + 1;
        }
        assertEquals(ref, newApi.collect());
        assertEquals(ref, oldApi.collect());
        // a wrong declaration fails naming both classes
        RuntimeException wrong = assertThrows(
                RuntimeException.class,
                () -> files.hadoopFile(
                                f.toString(),
                                org.apache.hadoop.mapreduce.lib.input.TextInputFormat.class,
                                Text.class,
                                Text.class)
                        .count());
        assertTrue(messages(wrong).contains("org.apache.hadoop.io.LongWritable, not of the declared"), messages(wrong));
    }

    @Test
    void saveAsHadoopFileCommitsThroughBothApisAndBothCommitterAlgorithms(@TempDir Path dir) throws Exception {
        Map<String, Long> ref = counts(2000, 2);
        List<Pair<String, Long>> data = new ArrayList<>();
        ref.forEach((k, v) -> data.add(Pair.of(k, v)));
        List<String> expected = new ArrayList<>();
        ref.forEach((k, v) -> expected.add(k + "\t" + v));
        for (String algorithm : List.of("1", "2")) {
            for (Class<?> format : List.of(
                    org.apache.hadoop.mapreduce.lib.output.TextOutputFormat.class,
                    org.apache.hadoop.mapred.TextOutputFormat.class)) {
                Configuration conf = files.newConf();
                conf.set("mapreduce.fileoutputcommitter.algorithm.version", algorithm);
                Path out = dir.resolve("out-" + algorithm + "-" + format.getPackageName());
                HadoopFiles.saveAsHadoopFile(
                        ctx.parallelizePairs(data, 4), out.toString(), format, String.class, Long.class, conf);
                assertTrue(Files.exists(out.resolve("_SUCCESS")), out.toString());
                List<String> got = new ArrayList<>();
                for (Path p : parts(out)) {
                    got.addAll(Files.readAllLines(p));
                }
                got.sort(Comparator.naturalOrder());
                assertEquals(expected, got, algorithm + " " + format.getName());
                try (Stream<Path> all = Files.list(out)) {
                    assertEquals(
                            List.of("_SUCCESS", "part-r-00000", "part-r-00001", "part-r-00002", "part-r-00003"),
                            all.map(p -> p.getFileName().toString())
                                    .filter(n -> !n.startsWith("."))
                                    .map(n -> n.replace("part-0", "part-r-0"))
                                    .sorted()
                                    .toList(),
                            "no _temporary left, one part per partition");
                }
            }
        }
    }

    @Test
    void aFailedJobLeavesNoSuccessAndNoPartialParts(@TempDir Path dir) {
        List<Integer> data = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            data.add(i);
        }
        for (String algorithm : List.of("1", "2")) {
            Configuration conf = files.newConf();
            conf.set("mapreduce.fileoutputcommitter.algorithm.version", algorithm);
            Path out = dir.resolve("failed-" + algorithm);
            PairDataset<String, Long> failing = ctx.parallelize(data, 4).mapToPair(i -> {
                if (i == 399) { // the last partition fails every attempt, after the others committed
                    throw new IllegalStateException("poison record " + i);
                }
                return Pair.of("k" + i, (long) i);
            });
            RuntimeException e = assertThrows(
                    RuntimeException.class,
                    () -> HadoopFiles.saveAsHadoopFile(
                            failing,
                            out.toString(),
                            org.apache.hadoop.mapreduce.lib.output.TextOutputFormat.class,
                            String.class,
                            Long.class,
                            conf));
            assertTrue(messages(e).contains("poison record 399"), messages(e));
            assertFalse(Files.exists(out), "algorithm " + algorithm + ": nothing of the failed job's output is left");
        }
    }

    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    static List<Path> parts(Path out) throws java.io.IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .sorted()
                    .toList();
        }
    }

    static List<String> hex(List<byte[]> records) {
        List<String> out = new ArrayList<>();
        for (byte[] r : records) {
            out.add(java.util.HexFormat.of().formatHex(r));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static <K, V> Map<K, V> toMap(List<Pair<K, V>> pairs) {
        Map<K, V> m = new TreeMap<>();
        for (Pair<K, V> p : pairs) {
            assertEquals(null, m.put(p.key(), p.value()), "twice: " + p.key());
        }
        return m;
    }
}
