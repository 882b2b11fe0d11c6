package com.example.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testkit.FaultPoint;
import dev.weft.testkit.JobEvents;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.junit.jupiter.api.Test;

@WeftCluster(nodeManagers = 2, dataNodes = 2) // one cluster for this class; shared = true: one for the test run
class WordCountTest {
    @Test
    void countsEveryWordOnceEvenWhenAnExecutorDies(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path in = new Path("/in/words.txt");
        Path out = new Path("/out");
        Map<String, Long> reference = new TreeMap<>(); // the expected counts, computed in plain Java
        try (Writer w = new OutputStreamWriter(fs.create(in), StandardCharsets.UTF_8)) {
            for (int i = 0; i < 50_000; i++) {
                String line = "w" + (i % 7) + " w" + (i % 11) + " shared";
                w.write(line + "\n");
                for (String word : line.split(" ")) {
                    reference.merge(word, 1L, Long::sum);
                }
            }
        }

        // The driver pauses once the map stage (stage 0) succeeded; the test kills an executor there.
        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(WordCount.class, List.of(mapsDone), in.toString(), out.toString());
        AtomicReference<ContainerId> killed = new AtomicReference<>();
        job.at(mapsDone, Duration.ofMinutes(3), () -> killed.set(cluster.killExecutorContainer(job)));
        JobOutcome outcome = job.await(Duration.ofMinutes(5));

        assertNotEquals(0, cluster.exitStatusOf(killed.get(), Duration.ofMinutes(1)), "SIGKILLed");
        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(
                fs, out, reference.entrySet().stream().map(e -> "(" + e.getKey() + "," + e.getValue() + ")").toList());
        WeftAssertions.assertCommitted(fs, out); // _SUCCESS, no _temporary or partial files
        JobEvents events = outcome.events();
        assertEquals(1, events.departedExecutors().size(), events::toString);
        // The NodeManagers' shuffle service kept serving the dead executor's map outputs: no map task ran twice.
        events.attemptsByPartition(0).forEach((map, attempts) -> assertEquals(1, attempts, "map task " + map));
        // A reduce task launched onto the dead executor before the driver saw it go is re-run once, elsewhere.
        events.attemptsByPartition(1).forEach((reduce, attempts) -> assertTrue(attempts <= 2, "reduce task " + reduce + ": " + attempts));
    }
}
