package dev.weft.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Assertions;

/**
 * Assertions on what a job left in a file system: the lines of a text output directory ({@code saveAsTextFile}),
 * and that a job left no partial output behind. Stateless.
 */
public final class WeftAssertions {
    /** How many differing lines a failure message lists, each way. */
    private static final int SHOWN = 10;

    private static final String SUCCESS = "_SUCCESS";

    private WeftAssertions() {}

    /**
     * The lines of every data file directly in {@code dir} (names not starting with {@code _} or {@code .}, the
     * files a later job would read), in file name order.
     */
    public static List<String> readTextOutput(FileSystem fs, Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        FileStatus[] files = fs.listStatus(
                dir, p -> !p.getName().startsWith("_") && !p.getName().startsWith("."));
        // HDFS lists in name order, a local file system in any: sort, so that a sorted output reads in its order.
        java.util.Arrays.sort(
                files, java.util.Comparator.comparing(st -> st.getPath().getName()));
        for (FileStatus st : files) {
            if (!st.isFile()) {
                continue;
            }
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(fs.open(st.getPath()), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /**
     * Asserts that the data files in {@code dir} hold exactly {@code expected} as a multiset of lines: in any order
     * and split over files any way, but every line as many times as expected (a duplicated or lost partition
     * fails). The message lists the first lines missing and unexpected, with their counts.
     */
    public static void assertTextOutputEquals(FileSystem fs, Path dir, Collection<String> expected) throws IOException {
        Map<String, Long> want = counts(expected);
        List<String> actualLines = readTextOutput(fs, dir);
        Map<String, Long> got = counts(actualLines);
        if (want.equals(got)) {
            return;
        }
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, Long> e : want.entrySet()) {
            long diff = e.getValue() - got.getOrDefault(e.getKey(), 0L);
            if (diff > 0) {
                missing.add(describe(e.getKey(), diff));
            }
        }
        for (Map.Entry<String, Long> e : got.entrySet()) {
            long diff = e.getValue() - want.getOrDefault(e.getKey(), 0L);
            if (diff > 0) {
                unexpected.add(describe(e.getKey(), diff));
            }
        }
        Assertions.fail(fs.makeQualified(dir) + " holds " + actualLines.size() + " lines where " + expected.size()
                + " were expected; " + missing.size() + " distinct lines missing " + head(missing) + ", "
                + unexpected.size() + " distinct lines unexpected " + head(unexpected));
    }

    /**
     * Asserts that the data files in {@code dir}, read in file name order ({@code part-00000}, {@code part-00001},
     * …), hold exactly {@code expected} in this order: for outputs whose order is part of the result (a {@code
     * sortByKey}). The message names the first line that differs and both line counts.
     */
    public static void assertTextOutputInOrder(FileSystem fs, Path dir, List<String> expected) throws IOException {
        List<String> actual = readTextOutput(fs, dir);
        int n = Math.min(actual.size(), expected.size());
        for (int i = 0; i < n; i++) {
            if (!actual.get(i).equals(expected.get(i))) {
                Assertions.fail(fs.makeQualified(dir) + ": line " + (i + 1) + " is '" + actual.get(i) + "' where '"
                        + expected.get(i) + "' was expected (" + actual.size() + " lines, " + expected.size()
                        + " expected)");
            }
        }
        if (actual.size() != expected.size()) {
            Assertions.fail(fs.makeQualified(dir) + " holds " + actual.size() + " lines where " + expected.size()
                    + " were expected; the first " + n + " match");
        }
    }

    /**
     * Asserts that nothing under {@code dir} (recursively) is left over from an unfinished write: no {@code
     * _temporary} directory (a job or task that did not commit or clean up), no {@code *.inprogress} file, no
     * other hidden file ({@code _*} other than {@code _SUCCESS}, {@code .*} other than a local file system's
     * {@code .crc} checksums).
     */
    public static void assertNoPartialOutput(FileSystem fs, Path dir) throws IOException {
        List<String> leftovers = new ArrayList<>();
        collectLeftovers(fs, dir, leftovers);
        if (!leftovers.isEmpty()) {
            Assertions.fail(fs.makeQualified(dir) + " holds partial output: " + leftovers);
        }
    }

    /**
     * Asserts that {@code dir} is a committed output: {@code _SUCCESS} present, no partial output, and no staging
     * directory of the job left beside it.
     */
    public static void assertCommitted(FileSystem fs, Path dir) throws IOException {
        if (!fs.exists(new Path(dir, SUCCESS))) {
            Assertions.fail(fs.makeQualified(dir) + " has no " + SUCCESS + " marker: the job did not commit it");
        }
        assertNoPartialOutput(fs, dir);
        // Weft stages a job's output beside it (".<name>.weft-<job>") and removes that directory once committed.
        Path parent = dir.getParent();
        if (parent != null) {
            for (FileStatus st : fs.listStatus(parent)) {
                if (st.getPath().getName().startsWith("." + dir.getName() + ".weft-")) {
                    Assertions.fail("a job's staging directory is left beside the committed output: "
                            + Path.getPathWithoutSchemeAndAuthority(st.getPath()));
                }
            }
        }
    }

    private static void collectLeftovers(FileSystem fs, Path dir, List<String> out) throws IOException {
        for (FileStatus st : fs.listStatus(dir)) {
            String name = st.getPath().getName();
            boolean partial = name.equals("_temporary")
                    || name.endsWith(".inprogress")
                    || (name.startsWith("_") && !name.equals(SUCCESS))
                    || (name.startsWith(".") && !name.endsWith(".crc"));
            if (partial) {
                out.add(Path.getPathWithoutSchemeAndAuthority(st.getPath()).toString());
            } else if (st.isDirectory()) {
                collectLeftovers(fs, st.getPath(), out);
            }
        }
    }

    private static Map<String, Long> counts(Collection<String> lines) {
        Map<String, Long> m = new TreeMap<>();
        for (String l : lines) {
            m.merge(l, 1L, Long::sum);
        }
        return m;
    }

    private static String describe(String line, long times) {
        return times == 1 ? "'" + line + "'" : "'" + line + "' x" + times;
    }

    private static String head(List<String> items) {
        return items.size() <= SHOWN
                ? items.toString()
                : items.subList(0, SHOWN) + " and " + (items.size() - SHOWN) + " more";
    }
}
