package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.io.InputPathException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails early with a message naming the cause; text input splits lines exactly once. */
class ClosuresAndInputsTest {
    static WeftContext ctx;

    @BeforeAll
    static void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"));
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    /** Deliberately not Serializable. */
    static final class Unshippable {
        int factor = 3;
    }

    @Test
    void aClosureCapturingANonSerializableObjectFailsAtTheCallSite() {
        Unshippable u = new Unshippable();
        Dataset<Integer> ds = ctx.parallelize(List.of(1, 2, 3), 2);
        RecordingListener events = new RecordingListener();
        ctx.addListener(events);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ds.map(x -> x * u.factor));
        ctx.removeListener(events);
        assertTrue(e.getMessage().contains(Unshippable.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("map at ClosuresAndInputsTest.java"), e.getMessage());
        assertTrue(events.tasks(t -> true).isEmpty(), "no task ran");
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
        Random rnd = new Random(5);
        List<String> lines = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            int len = rnd.nextInt(5) == 0 ? rnd.nextInt(400) : rnd.nextInt(20);
            StringBuilder l = new StringBuilder("L" + i + ":");
            for (int j = 0; j < len; j++) {
                l.append((char) ('a' + rnd.nextInt(26)));
            }
            lines.add(l.toString());
            text.append(l).append(rnd.nextInt(4) == 0 ? "\r\n" : "\n");
        }
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
}
