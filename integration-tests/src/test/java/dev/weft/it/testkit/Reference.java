package dev.weft.it.testkit;

import dev.weft.examples.WordCount;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Expected results computed in plain Java, and waits on the markers the gated test programs leave. */
final class Reference {
    private Reference() {}

    /** WordCount's output lines for {@code input}, {@code (word,count)}, computed without Weft. */
    static List<String> wordCountLines(FileSystem fs, Path input) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(input), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                WordCount.words(line).forEachRemaining(w -> counts.merge(w, 1L, Long::sum));
            }
        }
        List<String> lines = new ArrayList<>();
        counts.forEach((w, c) -> lines.add("(" + w + "," + c + ")"));
        return lines;
    }

    /** {@code CountOfCounts}' output lines for {@code input}, {@code (count,words with that count)}, without Weft. */
    static List<String> countOfCountsLines(FileSystem fs, Path input) throws Exception {
        Map<Long, Long> ofCounts = new TreeMap<>();
        for (String line : wordCountLines(fs, input)) {
            long count = Long.parseLong(line.substring(line.lastIndexOf(',') + 1, line.length() - 1));
            ofCounts.merge(count, 1L, Long::sum);
        }
        List<String> lines = new ArrayList<>();
        ofCounts.forEach((c, n) -> lines.add("(" + c + "," + n + ")"));
        return lines;
    }

    /** Task attempts that announced themselves under {@code gate} ({@code started-<partition>-…}), per partition. */
    static Map<Integer, Integer> startedAttempts(FileSystem fs, Path gate) throws Exception {
        Map<Integer, Integer> attempts = new TreeMap<>();
        for (var st : fs.listStatus(gate, p -> p.getName().startsWith("started-"))) {
            attempts.merge(Integer.parseInt(st.getPath().getName().split("-")[1]), 1, Integer::sum);
        }
        return attempts;
    }

    /** Waits (bounded) until {@code gate} shows at least {@code n} attempts and some partition with {@code min}. */
    static void awaitAttempts(FileSystem fs, Path gate, int n, int min, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Map<Integer, Integer> attempts = startedAttempts(fs, gate);
            int total = attempts.values().stream().mapToInt(Integer::intValue).sum();
            int most =
                    attempts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (total >= n && most >= min) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within " + seconds + " s, the task attempts under " + gate + " were only "
                        + attempts + " (partition -> attempts); waited for " + n + " in all and " + min
                        + " of one partition");
            }
            Thread.sleep(100);
        }
    }
}
