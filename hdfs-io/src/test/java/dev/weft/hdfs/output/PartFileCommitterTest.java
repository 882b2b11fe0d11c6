package dev.weft.hdfs.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.StageState;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.exec.CommitAuthority;
import dev.weft.io.CommitDeniedException;
import dev.weft.io.OutputPathException;
import dev.weft.scheduler.OutputCommitCoordinator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task and job commit on the local file system with the driver's {@link OutputCommitCoordinator} deciding:
 * attempts that finish at once, late attempts, an authorised attempt that died after renaming, an aborted job.
 */
class PartFileCommitterTest {
    private static final int STAGE = 4;

    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();
    private final OutputCommitCoordinator commits = new OutputCommitCoordinator();

    private String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private CommitAuthority on(String executor) {
        return (stage, partition, task) ->
                commits.canCommit(executor, stage, partition, task).granted();
    }

    private void launched(long task, int partition, String executor) {
        commits.onEvent(new WeftEvent.TaskStateChanged(
                1L, task, STAGE, 0, partition, 0, executor, null, TaskState.RUNNING, "", null, TaskLocality.ANY, null));
    }

    private void lost(long task, int partition, String executor) {
        commits.onEvent(new WeftEvent.TaskStateChanged(
                2L, task, STAGE, 0, partition, 0, executor, TaskState.RUNNING, TaskState.LOST, "", null, null, null));
    }

    private List<String> leftoversBeside(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out.getParent())) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("." + out.getFileName() + ".weft-"))
                    .toList();
        }
    }

    @Test
    void twoAttemptsOfAPartitionFinishingAtOnceCommitExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                Path out = dir.resolve("out-" + round);
                PartFileCommitter c = new PartFileCommitter(out.toString(), "job" + round);
                c.setupJob(conf);
                long a = round * 10L;
                long b = a + 1;
                launched(a, 0, "e1");
                launched(b, 0, "e2");
                CyclicBarrier bothWritten = new CyclicBarrier(2);
                Future<String> first = pool.submit(() -> attempt(c, "from-a", a, "e1", bothWritten));
                Future<String> second = pool.submit(() -> attempt(c, "from-b", b, "e2", bothWritten));
                List<String> results = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
                assertEquals(
                        1,
                        results.stream().filter(r -> r.startsWith("committed")).count(),
                        results.toString());
                String winner = results.stream()
                        .filter(r -> r.startsWith("committed"))
                        .findFirst()
                        .orElseThrow();

                c.commitJob(conf, 1);
                assertEquals(winner.substring("committed ".length()) + "\n", read(out.resolve("part-00000")));
                assertEquals(List.of("_SUCCESS", "part-00000"), visibleFiles(out));
                assertEquals(List.of(), leftoversBeside(out), "the job's staging directory is removed");
                commits.onEvent(new WeftEvent.StageStateChanged(
                        3L, STAGE, 0, "save", false, 1, StageState.RUNNING, StageState.SUCCEEDED, ""));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String attempt(PartFileCommitter c, String line, long task, String executor, CyclicBarrier barrier)
            throws Exception {
        Iterator<String> records = new Iterator<>() {
            boolean done;

            @Override
            public boolean hasNext() {
                if (done) {
                    try {
                        barrier.await(30, TimeUnit.SECONDS); // both attempts wrote everything: ask at once
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return !done;
            }

            @Override
            public String next() {
                done = true;
                return line;
            }
        };
        try {
            c.writeAndCommitTask(records, STAGE, 0, task, on(executor), conf);
            return "committed " + line;
        } catch (CommitDeniedException denied) {
            return "denied " + denied.getMessage();
        }
    }

    private static List<String> visibleFiles(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void anAttemptEndingAfterTheJobCommittedWritesNothingAndBringsNothingBack() throws Exception {
        Path out = dir.resolve("out");
        PartFileCommitter c = new PartFileCommitter(out.toString(), "j1");
        c.setupJob(conf);
        launched(1, 0, "e1");
        launched(2, 0, "e2");
        assertEquals(2, c.writeAndCommitTask(List.of("a", "b").iterator(), STAGE, 0, 1, on("e1"), conf));
        c.commitJob(conf, 1);

        CommitDeniedException late = assertThrows(
                CommitDeniedException.class,
                () -> c.writeAndCommitTask(List.of("late").iterator(), STAGE, 0, 2, on("e2"), conf));
        assertTrue(late.getMessage().contains("staging directory is gone"), late.getMessage());
        assertEquals("a\nb\n", read(out.resolve("part-00000")));
        assertEquals(List.of(), leftoversBeside(out), "a late attempt does not recreate the staging directory");
    }

    @Test
    void anAttemptThatIsNotAuthorisedDiscardsItsFile() throws Exception {
        Path out = dir.resolve("out");
        PartFileCommitter c = new PartFileCommitter(out.toString(), "j2");
        c.setupJob(conf);
        launched(1, 0, "e1");
        CommitDeniedException denied = assertThrows(
                CommitDeniedException.class,
                () -> c.writeAndCommitTask(List.of("x").iterator(), STAGE, 0, 1, on("e9"), conf),
                "an executor asking for another's attempt");
        assertTrue(denied.getMessage().startsWith("commit denied: "), denied.getMessage());
        try (Stream<Path> s = Files.walk(Path.of(c.staging().toString()))) {
            assertEquals(
                    List.of(),
                    s.filter(Files::isRegularFile)
                            .filter(p -> !p.toString().endsWith(".crc"))
                            .toList());
        }
    }

    @Test
    void anAuthorisedAttemptThatRenamedThenDiedLeavesItsCommitToTheNext() throws Exception {
        Path out = dir.resolve("out");
        PartFileCommitter c = new PartFileCommitter(out.toString(), "j3");
        c.setupJob(conf);
        launched(1, 0, "e1");
        c.writeAndCommitTask(List.of("same").iterator(), STAGE, 0, 1, on("e1"), conf);
        lost(1, 0, "e1"); // its report never arrived: the driver re-runs the partition
        launched(2, 0, "e2");
        assertEquals(1, c.writeAndCommitTask(List.of("same").iterator(), STAGE, 0, 2, on("e2"), conf));
        c.commitJob(conf, 1);
        assertEquals("same\n", read(out.resolve("part-00000")));
    }

    @Test
    void anAbortedJobLeavesNoOutputAndNoStaging() throws Exception {
        Path out = dir.resolve("out");
        PartFileCommitter c = new PartFileCommitter(out.toString(), "j4");
        c.setupJob(conf);
        launched(1, 0, "e1");
        c.writeAndCommitTask(List.of("a").iterator(), STAGE, 0, 1, on("e1"), conf);
        c.abortJob(conf);
        assertFalse(Files.exists(out));
        assertEquals(List.of(), leftoversBeside(out));
    }

    @Test
    void aJobWithAPartitionMissingDoesNotPublishAnything() throws Exception {
        Path out = dir.resolve("out");
        PartFileCommitter c = new PartFileCommitter(out.toString(), "j5");
        c.setupJob(conf);
        launched(1, 0, "e1");
        c.writeAndCommitTask(List.of("a").iterator(), STAGE, 0, 1, on("e1"), conf);
        java.io.IOException missing = assertThrows(java.io.IOException.class, () -> c.commitJob(conf, 2));
        assertTrue(missing.getMessage().contains("partition 1 is missing"), missing.getMessage());
        assertFalse(Files.exists(out), "nothing under the final name");
    }

    @Test
    void anOutputCreatedByAnotherWhileTheJobRanIsNeitherReplacedNorMixed() throws Exception {
        Path out = dir.resolve("out");
        PartFileCommitter c = new PartFileCommitter(out.toString(), "j6");
        c.setupJob(conf);
        launched(1, 0, "e1");
        c.writeAndCommitTask(List.of("a").iterator(), STAGE, 0, 1, on("e1"), conf);
        Files.createDirectories(out);
        Files.writeString(out.resolve("theirs"), "x");
        OutputPathException e = assertThrows(OutputPathException.class, () -> c.commitJob(conf, 1));
        assertTrue(e.getMessage().contains("created by someone else"), e.getMessage());
        assertEquals(List.of("theirs"), visibleFiles(out));
    }

    @Test
    void setupRefusesAnExistingOutput() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        PartFileCommitter c = new PartFileCommitter(out.toString(), "j7");
        assertThrows(OutputPathException.class, () -> c.setupJob(conf));
        List<String> none = new ArrayList<>(leftoversBeside(out));
        assertEquals(List.of(), none);
    }

    @Test
    void aRestartedDriverRemovesOnlyWhatItsEarlierAttemptsLeftBesideTheOutput() throws Exception {
        Path out = dir.resolve("restarted");
        String app = "application_1700000000000_0007";
        PartFileCommitter first = new PartFileCommitter(out.toString(), PartFileCommitter.jobToken(app, 1));
        first.setupJob(conf); // then the first attempt died
        PartFileCommitter otherApp =
                new PartFileCommitter(out.toString(), PartFileCommitter.jobToken("application_1700000000000_0017", 1));
        otherApp.setupJob(conf);
        PartFileCommitter second = new PartFileCommitter(out.toString(), PartFileCommitter.jobToken(app, 2));
        second.setupJob(conf);
        PartFileCommitter third = new PartFileCommitter(out.toString(), PartFileCommitter.jobToken(app, 3));

        List<org.apache.hadoop.fs.Path> removed = third.removeStagingOfEarlierAttempts(conf, app, 3);

        assertEquals(2, removed.size(), removed::toString);
        assertFalse(Files.exists(Path.of(first.staging().toString())));
        assertFalse(Files.exists(Path.of(second.staging().toString())));
        assertTrue(
                Files.isDirectory(Path.of(otherApp.staging().toString())), "another application's job is left alone");
        assertEquals(List.of(), second.removeStagingOfEarlierAttempts(conf, app, 2), "nothing earlier is left");
    }

    @Test
    void aResumedJobKnowsWhichPartitionsAreCommittedAndWritesOnlyTheOthers() throws Exception {
        Path out = dir.resolve("resumed");
        PartFileCommitter first = new PartFileCommitter(out.toString(), "app.1-x");
        first.setupJob(conf);
        launched(1, 1, "e1");
        first.writeAndCommitTask(List.of("b").iterator(), STAGE, 1, 1, on("e1"), conf);
        // The first driver died here; the next one resumes the same staging directory with a coordinator of its own.
        PartFileCommitter resumed = new PartFileCommitter(out.toString(), first.jobToken());
        assertTrue(resumed.canResume(conf));
        assertArrayEquals(new int[] {0, 2}, resumed.uncommittedPartitions(conf, 3));
        OutputCommitCoordinator next = new OutputCommitCoordinator();
        for (int p : new int[] {0, 2}) {
            next.onEvent(new WeftEvent.TaskStateChanged(
                    1L, 10 + p, STAGE, 0, p, 0, "e2", null, TaskState.RUNNING, "", null, TaskLocality.ANY, null));
            resumed.writeAndCommitTask(
                    List.of(p == 0 ? "a" : "c").iterator(),
                    STAGE,
                    p,
                    10 + p,
                    (stage, partition, task) ->
                            next.canCommit("e2", stage, partition, task).granted(),
                    conf);
        }
        resumed.commitJob(conf, 3);
        assertTrue(resumed.isCommitted(conf));
        assertFalse(resumed.canResume(conf), "a committed output is not resumed");
        assertEquals("a\n", read(out.resolve("part-00000")));
        assertEquals("b\n", read(out.resolve("part-00001")));
        assertEquals("c\n", read(out.resolve("part-00002")));
    }
}
