package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.it.TestJobs;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code unpersist} frees the executors' storage memory on YARN (issue 12): the executors' own memory accounting,
 * read by probe tasks before and after, shows the cached bytes gone from every executor that held them.
 */
@WeftCluster(shared = true)
class SharedClusterUnpersistTest {
    @Test
    void unpersistFreesTheStorageMemoryOfEveryExecutorThatCachedTheDataset(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path report = new Path("/testkit/unpersist/report.txt");
        JobOutcome outcome =
                cluster.submit(TestJobs.UnpersistProbe.class, report.toString()).await(Duration.ofMinutes(4));
        assertEquals(0, outcome.exitCode(), outcome::toString);

        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(report), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                lines.add(l);
            }
        }
        assertEquals("count 200000", lines.get(0));
        Map<String, Long> before = new TreeMap<>();
        Map<String, Long> after = new TreeMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(" ");
            (f[0].equals("before") ? before : after).merge(f[1], Long.parseLong(f[2]), Math::max);
        }
        Set<String> holders = new TreeSet<>();
        before.forEach((exec, bytes) -> {
            if (bytes > 0) {
                holders.add(exec);
            }
        });
        assertFalse(holders.isEmpty(), "some executor cached the dataset: " + before);
        assertTrue(after.keySet().containsAll(holders), "every holder was probed after: " + after + " vs " + holders);
        after.forEach((exec, bytes) -> assertEquals(0L, bytes, "storage memory of " + exec + " after unpersist"));
    }
}
