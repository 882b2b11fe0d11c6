package dev.weft.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Dataset;
import dev.weft.api.PairDataset;
import dev.weft.api.WeftContext;
import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import dev.weft.io.InputPathException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text input and output on the local file system (the same code reads HDFS: integration-tests run it on MiniDFS):
 * lines split exactly once, gzip whole, bzip2 split, compressed output read back, a missing path named.
 */
class TextFilesTest {
    static WeftContext ctx;
    static final List<WeftEvent.TaskStateChanged> tasks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"));
        ctx.addListener(new WeftListener() {
            @Override
            public void onEvent(WeftEvent e) {
                if (e instanceof WeftEvent.TaskStateChanged t) {
                    tasks.add(t);
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    /** 3000 lines of random lengths, some ending in \r\n. */
    static List<String> lines(StringBuilder text) {
        Random rnd = new Random(5);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int len = rnd.nextInt(5) == 0 ? rnd.nextInt(400) : rnd.nextInt(20);
            StringBuilder l = new StringBuilder("L" + i + ":");
            for (int j = 0; j < len; j++) {
                l.append((char) ('a' + rnd.nextInt(26)));
            }
            lines.add(l.toString());
            text.append(l).append(rnd.nextInt(4) == 0 ? "\r\n" : "\n");
        }
        return lines;
    }

    @Test
    void aMissingInputPathNamesThePath(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-input");
        // Splits are computed on the driver when the job is planned, so this fails before any task runs.
        InputPathException e = assertThrows(
                InputPathException.class, () -> ctx.textFile(missing.toString()).count());
        assertTrue(
                e.getMessage().contains("input path does not exist")
                        && e.getMessage().contains("no-such-input"),
                e.getMessage());
    }

    @Test
    void textFileReadsEveryLineExactlyOnceAcrossSplits(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        List<String> lines = lines(text);
        Path f = dir.resolve("in.txt");
        Files.writeString(f, text.toString(), StandardCharsets.UTF_8);
        for (int parts : new int[] {1, 2, 7, 64, 500}) {
            Dataset<String> ds = ctx.textFile(f.toString(), parts);
            assertTrue(ds.numPartitions() >= Math.min(parts, 2), "splits for " + parts + ": " + ds.numPartitions());
            assertEquals(lines, ds.collect(), "lines with " + parts + " requested partitions");
        }
        // a gzip file is one split and decompressed
        Path gz = dir.resolve("in.txt.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) {
            os.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        Dataset<String> g = ctx.textFile(gz.toString(), 8);
        assertEquals(1, g.numPartitions());
        assertEquals(lines, g.collect());
        // a directory reads its files, skipping _ and . files
        Files.writeString(dir.resolve("_SUCCESS"), "");
        Files.delete(gz);
        assertEquals(lines, ctx.textFile(dir.toString(), 3).collect());
    }

    @Test
    void bzip2TextIsSplitAndReadExactlyOnce(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        List<String> lines = lines(text);
        for (int i = 0; i < 20; i++) { // about 1.5 MB: bzip2 blocks of 900 kB, so more than one block
            lines(text);
        }
        List<String> all = new ArrayList<>();
        for (String l : text.toString().split("\r?\n")) {
            all.add(l);
        }
        Path bz = dir.resolve("in.txt.bz2");
        BZip2Codec codec = org.apache.hadoop.util.ReflectionUtils.newInstance(BZip2Codec.class, conf());
        try (OutputStream os = codec.createOutputStream(Files.newOutputStream(bz))) {
            os.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        Dataset<String> ds = ctx.textFile(bz.toString(), 6);
        assertTrue(ds.numPartitions() > 1, "bzip2 is splittable: " + ds.numPartitions() + " splits");
        assertEquals(all, ds.collect());
        assertEquals(lines, all.subList(0, lines.size()));
    }

    @Test
    void localTextFileTasksHaveNoPreference(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("in.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Files.writeString(file, sb);
        tasks.clear();
        assertEquals(1000L, ctx.textFile(file.toString(), 3).count());
        List<TaskLocality> launched = tasks.stream()
                .filter(t -> t.to() == TaskState.RUNNING)
                .map(WeftEvent.TaskStateChanged::locality)
                .toList();
        assertEquals(List.of(TaskLocality.NO_PREF, TaskLocality.NO_PREF, TaskLocality.NO_PREF), launched);
        tasks.stream().filter(t -> t.to() == TaskState.SUCCEEDED).forEach(t -> assertNull(t.locality(), t.toString()));
    }

    @Test
    void saveAsTextFileWritesCommittedPartsAndSuccessMarker(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        List<Pair<String, Integer>> data = new ArrayList<>();
        Random rnd = new Random(3);
        for (int i = 0; i < 2000; i++) {
            data.add(Pair.of("k" + rnd.nextInt(50), rnd.nextInt(100)));
        }
        PairDataset<String, Integer> sums = ctx.parallelizePairs(data, 4).reduceByKey(Integer::sum, 3);
        sums.saveAsTextFile(out.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        try (var beside = Files.list(tmp)) {
            assertEquals(
                    List.of("out"),
                    beside.map(p -> p.getFileName().toString()).toList(),
                    "the job's staging directory is removed at commit");
        }
        List<String> lines = readParts(out);
        Map<String, Integer> ref = new TreeMap<>();
        data.forEach(p -> ref.merge(p.key(), p.value(), Integer::sum));
        List<String> expected = ref.entrySet().stream()
                .map(e -> "(" + e.getKey() + "," + e.getValue() + ")")
                .sorted()
                .toList();
        assertEquals(expected, sorted(lines));
        // reading it back through textFile gives the same lines
        assertEquals(expected, sorted(ctx.textFile(out.toString()).collect()));
        RuntimeException exists = assertThrows(RuntimeException.class, () -> sums.saveAsTextFile(out.toString()));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    }

    @Test
    void compressedTextOutputIsReadBackDecompressed(@TempDir Path tmp) throws Exception {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            words.add("word-" + (i * 7919 % 5000));
        }
        for (Class<? extends org.apache.hadoop.io.compress.CompressionCodec> codec :
                List.of(GzipCodec.class, BZip2Codec.class)) {
            Path out = tmp.resolve(codec.getSimpleName());
            HadoopFiles.saveAsTextFile(ctx.parallelize(words, 3), out.toString(), codec);
            String ext = codec == GzipCodec.class ? ".gz" : ".bz2";
            try (Stream<Path> parts = Files.list(out)) {
                List<String> names = parts.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("part-"))
                        .sorted()
                        .toList();
                assertEquals(List.of("part-00000" + ext, "part-00001" + ext, "part-00002" + ext), names);
            }
            assertEquals(sorted(words), sorted(ctx.textFile(out.toString()).collect()), codec.getName());
        }
    }

    @Test
    void wholeTextFilesGivesEachFileOnce(@TempDir Path dir) throws Exception {
        Map<String, String> ref = new TreeMap<>();
        for (int i = 0; i < 9; i++) {
            Path f = dir.resolve("f" + i + ".txt");
            String content = ("file " + i + "\n").repeat(i * 50 + 1);
            Files.writeString(f, content);
            ref.put(new org.apache.hadoop.fs.Path(f.toUri()).toString(), content);
        }
        PairDataset<String, String> files = HadoopFiles.of(ctx).wholeTextFiles(dir.toString(), 3);
        assertTrue(files.numPartitions() >= 2 && files.numPartitions() <= 4, "" + files.numPartitions());
        Map<String, String> got = new TreeMap<>();
        for (Pair<String, String> p : files.collect()) {
            assertNull(got.put(p.key(), p.value()), "twice: " + p.key());
        }
        assertEquals(ref, got);
    }

    static List<String> readParts(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        try (var files = Files.list(out)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .sorted()
                    .toList()) {
                lines.addAll(Files.readAllLines(p));
            }
        }
        return lines;
    }

    static <T extends Comparable<T>> List<T> sorted(List<T> in) {
        List<T> c = new ArrayList<>(in);
        c.sort(Comparator.naturalOrder());
        return c;
    }

    static Configuration conf() {
        return new Configuration(ctx.hadoopConf());
    }
}
