package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.StageState;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.exec.CommitAuthority;
import dev.weft.hdfs.output.PartFileCommitter;
import dev.weft.io.CommitDeniedException;
import dev.weft.it.TestJobs;
import dev.weft.scheduler.OutputCommitCoordinator;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * Output commit on HDFS (issue 12): two attempts of one partition that finish at once commit exactly once, with
 * HDFS's own create and rename semantics, and a job that fails after some partitions committed leaves nothing.
 */
@WeftCluster(shared = true)
class SharedClusterOutputCommitTest {
    private static final int STAGE = 7;

    @Test
    void twoAttemptsOfAPartitionFinishingAtOnceOnHdfsCommitExactlyOnce(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Configuration conf = fs.getConf();
        OutputCommitCoordinator commits = new OutputCommitCoordinator();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                Path out = new Path("/testkit/commit/race-" + round);
                PartFileCommitter committer = new PartFileCommitter(out.toString(), "race" + round);
                committer.setupJob(conf);
                long a = round * 10L;
                long b = a + 1;
                for (long task : new long[] {a, b}) {
                    commits.onEvent(new WeftEvent.TaskStateChanged(
                            1L,
                            task,
                            STAGE,
                            0,
                            0,
                            (int) (task - a),
                            "e" + task,
                            null,
                            TaskState.RUNNING,
                            "",
                            null,
                            TaskLocality.ANY,
                            null));
                }
                CyclicBarrier bothWritten = new CyclicBarrier(2);
                List<Future<String>> attempts = new ArrayList<>();
                for (long task : new long[] {a, b}) {
                    CommitAuthority authority =
                            (s, p, t) -> commits.canCommit("e" + task, s, p, t).granted();
                    attempts.add(pool.submit(
                            () -> attempt(committer, "line of " + task, task, authority, bothWritten, conf)));
                }
                List<String> results = new ArrayList<>();
                for (Future<String> f : attempts) {
                    results.add(f.get(60, TimeUnit.SECONDS));
                }
                List<String> winners =
                        results.stream().filter(r -> !r.startsWith("denied")).toList();
                assertEquals(1, winners.size(), results.toString());

                committer.commitJob(conf, 1);
                commits.onEvent(new WeftEvent.StageStateChanged(
                        2L, STAGE, 0, "save", false, 1, StageState.RUNNING, StageState.SUCCEEDED, ""));
                WeftAssertions.assertCommitted(fs, out);
                List<String> names = Arrays.stream(fs.listStatus(out))
                        .map(st -> st.getPath().getName())
                        .sorted()
                        .toList();
                assertEquals(List.of("_SUCCESS", "part-00000"), names, "one part file, one marker");
                assertEquals(List.of(winners.get(0)), lines(fs, new Path(out, "part-00000")));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String attempt(
            PartFileCommitter committer,
            String line,
            long task,
            CommitAuthority authority,
            CyclicBarrier barrier,
            Configuration conf)
            throws Exception {
        Iterator<String> records = new Iterator<>() {
            boolean done;

            @Override
            public boolean hasNext() {
                if (done) {
                    try {
                        barrier.await(60, TimeUnit.SECONDS); // both files written and closed: commit at once
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
            committer.writeAndCommitTask(records, STAGE, 0, task, authority, conf);
            return line;
        } catch (CommitDeniedException e) {
            return "denied: " + e.getMessage();
        }
    }

    private static List<String> lines(FileSystem fs, Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void aJobFailingAfterOtherPartitionsCommittedLeavesNoOutput(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path out = new Path("/testkit/commit/failed-job/out");
        JobOutcome outcome =
                cluster.submit(TestJobs.FailingSave.class, out.toString()).await(Duration.ofMinutes(4));

        assertNotEquals(0, outcome.exitCode(), outcome::toString);
        assertTrue(
                outcome.events().tasksEndedIn(0, TaskState.SUCCEEDED) >= 1,
                () -> "some partition committed before the job failed:\n" + outcome.events());
        assertFalse(fs.exists(out), "no output under the final name");
        FileStatus[] beside = fs.listStatus(out.getParent());
        assertEquals(
                List.of(),
                Arrays.stream(beside).map(st -> st.getPath().getName()).toList(),
                "the aborted job's staging directory is removed");
    }
}
