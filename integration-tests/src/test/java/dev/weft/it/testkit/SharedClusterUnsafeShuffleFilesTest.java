package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.TaskState;
import dev.weft.examples.Demo;
import dev.weft.it.TestJobs;
import dev.weft.testkit.FaultPoint;
import dev.weft.testkit.JobEvents;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant that tampers with its own map output in the NodeManager's local dirs (which its user owns) cannot make the
 * NodeManager's shuffle service read anything else: the test, acting as that tenant while the job is paused after its
 * map stage, replaces map outputs with a symbolic link to another application's file, a symbolic link to a
 * container's tokens in the NodeManager's private dir, a FIFO and a hard link. Every fetch of them fails (the
 * service refuses them as UNSAFE_FILE; {@link SharedClusterShuffleFloodTest} checks each refusal on the wire); the
 * scheduler re-runs those maps, and the job ends with exact output, so the service kept serving. Shares its cluster with the other {@code SharedCluster*} classes.
 */
@WeftCluster(shared = true)
class SharedClusterUnsafeShuffleFilesTest {
    private static final Path INPUT = new Path("/testkit/unsafe-files/words.txt");
    private static final int SPLITS = 4;
    private static List<String> expected;

    @BeforeAll
    static void writeInput(WeftTestCluster cluster) throws Exception {
        Demo.writeText(cluster.fileSystem(), INPUT, 20_000, 29);
        expected = Reference.wordCountLines(cluster.fileSystem(), INPUT);
    }

    @Test
    void linksFifosAndHardLinksInAMapOutputAreRefusedAndTheJobStillEndsExact(WeftTestCluster cluster) throws Exception {
        Path output = new Path("/testkit/unsafe-files/out");
        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(
                TestJobs.SplitWordCount.class,
                List.of(mapsDone),
                INPUT.toString(),
                output.toString(),
                Integer.toString(SPLITS));
        List<String> tampered = new ArrayList<>();
        job.at(mapsDone, Duration.ofMinutes(3), () -> tampered.addAll(tamper(cluster, job)));
        JobOutcome outcome = job.await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
        WeftAssertions.assertCommitted(cluster.fileSystem(), output);
        JobEvents events = outcome.events();
        List<String> refusals = events.tasks(1, t -> t.to() == TaskState.FETCH_FAILED).stream()
                .map(t -> String.valueOf(t.reason()))
                .toList();
        assertTrue(!refusals.isEmpty(), "readers failed to fetch the tampered outputs (" + tampered + "):\n" + events);
        // Through the NodeManager's service the refusal is UNSAFE_FILE. A reader on the writer's own node reads the
        // files directly, as the tenant's own user (it reads only what that user may read anyway), and finds them
        // inconsistent. Either way the output is recomputed, never served from elsewhere. A reader that starts after
        // the driver already dropped a refused output finds no location for it: a consequence, not a cause.
        for (String reason : refusals) {
            assertTrue(
                    reason.contains("UNSAFE_FILE")
                            || reason.contains("cannot open block")
                            || reason.contains("no location for map output"),
                    "a refusal names its cause: " + reason);
        }
        assertTrue(
                refusals.stream().anyMatch(r -> r.contains("UNSAFE_FILE") || r.contains("cannot open block")),
                "some reader was refused a tampered file, not only told its output was gone: " + refusals);
        assertTrue(events.stageAttempts(0) >= 2, "the tampered map outputs were written again:\n" + events);
    }

    /**
     * Replaces the job's map outputs of shuffle 0, one way each: the index by a link to another application's
     * index, the data by a link to a container's tokens in the NodeManager's private dir, the index by a FIFO, the
     * index by a hard link.
     */
    private static List<String> tamper(WeftTestCluster cluster, SubmittedJob job) throws Exception {
        List<java.nio.file.Path> data = cluster.shuffleDataFiles(job, 0);
        assertEquals(SPLITS, data.size(), "one map output per split: " + data);
        List<String> done = new ArrayList<>();
        // "Another application's" output: a copy in a sibling application directory of the same user, valid bytes,
        // so that following the link would serve data and the job would see no failure.
        java.nio.file.Path first = data.get(0);
        java.nio.file.Path appDir = first.getParent().getParent().getParent();
        java.nio.file.Path otherShuffle =
                appDir.resolveSibling("application_1_9999").resolve("weft/shuffle");
        Files.createDirectories(otherShuffle);
        java.nio.file.Path otherIndex = Files.copy(
                index(first), otherShuffle.resolve(index(first).getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.delete(index(first));
        Files.createSymbolicLink(index(first), otherIndex);
        done.add("index -> another application's index: " + first);

        java.nio.file.Path second = data.get(1);
        java.nio.file.Path tokens = privateFile(cluster);
        Files.delete(second);
        Files.createSymbolicLink(second, tokens);
        done.add("data -> the NodeManager's " + tokens + ": " + second);

        java.nio.file.Path third = data.get(2);
        Files.delete(index(third));
        Process mkfifo = new ProcessBuilder("mkfifo", index(third).toString()).start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        done.add("index is a FIFO: " + third);

        java.nio.file.Path fourth = data.get(3);
        java.nio.file.Path outside = appDir.resolveSibling("hard-link-target-" + fourth.getFileName() + ".index");
        Files.move(index(fourth), outside, StandardCopyOption.REPLACE_EXISTING);
        Files.createLink(index(fourth), outside);
        done.add("index is a hard link: " + fourth);
        return done;
    }

    private static java.nio.file.Path index(java.nio.file.Path data) {
        String name = data.getFileName().toString();
        return data.resolveSibling(name.substring(0, name.length() - ".data".length()) + ".index");
    }

    /** A file the NodeManager keeps for itself: a container's tokens under {@code nmPrivate} in a local dir. */
    private static java.nio.file.Path privateFile(WeftTestCluster cluster) throws Exception {
        for (java.nio.file.Path local : cluster.nodeManagerLocalDirs()) {
            java.nio.file.Path nmPrivate = local.resolve("nmPrivate");
            if (Files.isDirectory(nmPrivate)) {
                try (Stream<java.nio.file.Path> files = Files.walk(nmPrivate)) {
                    // Container tokens first; any other private file (launch scripts, pid files) will do.
                    java.nio.file.Path f = files.filter(Files::isRegularFile)
                            .min(java.util.Comparator.comparing(
                                    p -> p.getFileName().toString().endsWith(".tokens") ? 0 : 1))
                            .orElse(null);
                    if (f != null) {
                        return f;
                    }
                }
            }
        }
        throw new AssertionError("no file under nmPrivate in " + cluster.nodeManagerLocalDirs());
    }
}
