package dev.weft.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class TestWeftAssertions {
    @TempDir
    java.nio.file.Path tmp;

    FileSystem fs;
    Path out;

    @BeforeEach
    void setUp() throws Exception {
        fs = FileSystem.getLocal(new Configuration());
        out = new Path(tmp.toUri().toString(), "out");
        fs.mkdirs(out);
    }

    void write(String name, String text) throws Exception {
        try (OutputStream os = fs.create(new Path(out, name))) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void linesMatchInAnyOrderAndSplitOverAnyFiles() throws Exception {
        write("part-00000", "(b,2)\n(a,1)\n");
        write("part-00001", "(a,1)\n");
        write("_SUCCESS", "");
        WeftAssertions.assertTextOutputEquals(fs, out, List.of("(a,1)", "(a,1)", "(b,2)"));
        assertEquals(3, WeftAssertions.readTextOutput(fs, out).size(), "_SUCCESS and .crc files are not data");
    }

    @Test
    void aSortedOutputIsReadInPartitionOrderAndTheFirstDifferenceIsNamed() throws Exception {
        // Written out of order: a local file system lists in any order, the assertion reads in name order.
        write("part-00002", "(e,5)\n");
        write("part-00000", "(a,1)\n(b,2)\n");
        write("part-00001", "(c,3)\n(d,4)\n");
        WeftAssertions.assertTextOutputInOrder(fs, out, List.of("(a,1)", "(b,2)", "(c,3)", "(d,4)", "(e,5)"));

        AssertionFailedError swapped = assertThrows(
                AssertionFailedError.class,
                () -> WeftAssertions.assertTextOutputInOrder(
                        fs, out, List.of("(a,1)", "(c,3)", "(b,2)", "(d,4)", "(e,5)")));
        assertTrue(swapped.getMessage().contains("line 2 is '(b,2)' where '(c,3)' was expected"), swapped.getMessage());
        AssertionFailedError shorter = assertThrows(
                AssertionFailedError.class,
                () -> WeftAssertions.assertTextOutputInOrder(fs, out, List.of("(a,1)", "(b,2)")));
        assertTrue(shorter.getMessage().contains("holds 5 lines where 2 were expected"), shorter.getMessage());
    }

    @Test
    void aDuplicatedLineFailsNamingIt() throws Exception {
        write("part-00000", "(a,1)\n(b,2)\n");
        write("part-00001", "(b,2)\n");
        AssertionFailedError e = assertThrows(
                AssertionFailedError.class,
                () -> WeftAssertions.assertTextOutputEquals(fs, out, List.of("(a,1)", "(b,2)")));
        assertTrue(e.getMessage().contains("1 distinct lines unexpected ['(b,2)']"), e.getMessage());
    }

    @Test
    void aMissingLineFailsNamingIt() throws Exception {
        write("part-00000", "(a,1)\n");
        AssertionFailedError e = assertThrows(
                AssertionFailedError.class,
                () -> WeftAssertions.assertTextOutputEquals(fs, out, List.of("(a,1)", "(c,3)", "(c,3)")));
        assertTrue(e.getMessage().contains("1 distinct lines missing ['(c,3)' x2]"), e.getMessage());
    }

    @Test
    void committedOutputPassesAndLeftoversFail() throws Exception {
        write("part-00000", "(a,1)\n");
        write("_SUCCESS", "");
        WeftAssertions.assertCommitted(fs, out);

        fs.mkdirs(new Path(out, "_temporary/0/task_1"));
        AssertionFailedError temporary =
                assertThrows(AssertionFailedError.class, () -> WeftAssertions.assertNoPartialOutput(fs, out));
        assertTrue(temporary.getMessage().contains("/out/_temporary"), temporary.getMessage());
        fs.delete(new Path(out, "_temporary"), true);

        write("sub/part-00001.inprogress", "x\n");
        AssertionFailedError inProgress =
                assertThrows(AssertionFailedError.class, () -> WeftAssertions.assertNoPartialOutput(fs, out));
        assertTrue(inProgress.getMessage().contains("/out/sub/part-00001.inprogress"), inProgress.getMessage());
        fs.delete(new Path(out, "sub"), true);

        write("_part-00002", "x\n");
        assertThrows(AssertionFailedError.class, () -> WeftAssertions.assertNoPartialOutput(fs, out));
    }

    @Test
    void anUncommittedOutputFails() throws Exception {
        write("part-00000", "(a,1)\n");
        AssertionFailedError e =
                assertThrows(AssertionFailedError.class, () -> WeftAssertions.assertCommitted(fs, out));
        assertTrue(e.getMessage().contains("no _SUCCESS"), e.getMessage());
    }
}
