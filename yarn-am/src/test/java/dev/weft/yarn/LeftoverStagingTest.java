package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeftoverStagingTest {
    private static final long RM_START = 1_700_000_000_000L;
    private static final long NOW = RM_START + 3_600_000L;

    private FileSystem fs;
    private Path root;
    /** A fake ResourceManager: the states it knows; others are not found. */
    private final Map<ApplicationId, YarnApplicationState> rm = new HashMap<>();

    private int rmCalls;

    @BeforeEach
    void setUp() throws IOException {
        fs = FileSystem.getLocal(new Configuration());
        root = new Path(Files.createTempDirectory("staging-root").toUri());
    }

    private LeftoverStaging.ApplicationStates fakeRm() {
        return app -> {
            rmCalls++;
            YarnApplicationState s = rm.get(app);
            if (s == null) {
                throw new ApplicationNotFoundException("unknown " + app);
            }
            return s;
        };
    }

    private Path dir(ApplicationId app, long mtime) throws IOException {
        Path p = new Path(root, app.toString());
        fs.mkdirs(p);
        fs.create(new Path(p, "job.jar")).close();
        fs.setTimes(p, mtime, -1);
        return p;
    }

    @Test
    void removesEndedApplicationsAndKeepsLiveOnes() throws IOException {
        ApplicationId finished = ApplicationId.newInstance(RM_START, 1);
        ApplicationId failed = ApplicationId.newInstance(RM_START, 2);
        ApplicationId killed = ApplicationId.newInstance(RM_START, 3);
        ApplicationId running = ApplicationId.newInstance(RM_START, 4);
        ApplicationId accepted = ApplicationId.newInstance(RM_START, 5);
        rm.put(finished, YarnApplicationState.FINISHED);
        rm.put(failed, YarnApplicationState.FAILED);
        rm.put(killed, YarnApplicationState.KILLED);
        rm.put(running, YarnApplicationState.RUNNING);
        rm.put(accepted, YarnApplicationState.ACCEPTED);
        for (ApplicationId a : List.of(finished, failed, killed, running, accepted)) {
            dir(a, NOW - 5_000);
        }
        Path cache = new Path(root, "cache");
        fs.mkdirs(cache);

        List<Path> removed = LeftoverStaging.clean(fs, root, fakeRm(), ApplicationId.newInstance(RM_START, 9), NOW);

        assertEquals(3, removed.size(), removed.toString());
        assertFalse(fs.exists(new Path(root, finished.toString())));
        assertFalse(fs.exists(new Path(root, failed.toString())));
        assertFalse(fs.exists(new Path(root, killed.toString())));
        assertTrue(fs.exists(new Path(root, running.toString())));
        assertTrue(fs.exists(new Path(root, accepted.toString())));
        assertTrue(fs.exists(cache), "the jar cache is not an application directory");
    }

    @Test
    void anUnknownApplicationOfThisRmIsKeptUntilItsGracePeriodEnds() throws IOException {
        // Another client of the same user has staged but not yet submitted: the RM does not know it yet.
        ApplicationId justStaged = ApplicationId.newInstance(RM_START, 7);
        ApplicationId forgotten = ApplicationId.newInstance(RM_START, 6);
        ApplicationId olderRm = ApplicationId.newInstance(RM_START - 86_400_000L, 1);
        dir(justStaged, NOW - 1_000);
        dir(forgotten, NOW - LeftoverStaging.UNKNOWN_GRACE_MS - 1_000);
        dir(olderRm, NOW - 1_000);

        List<Path> removed = LeftoverStaging.clean(fs, root, fakeRm(), ApplicationId.newInstance(RM_START, 9), NOW);

        assertEquals(2, removed.size(), removed.toString());
        assertTrue(fs.exists(new Path(root, justStaged.toString())));
        assertFalse(fs.exists(new Path(root, forgotten.toString())));
        assertFalse(fs.exists(new Path(root, olderRm.toString())));
    }

    @Test
    void neverTouchesTheCurrentApplicationAndKeepsDirectoriesWhenTheRmCannotAnswer() throws IOException {
        ApplicationId current = ApplicationId.newInstance(RM_START, 9);
        ApplicationId other = ApplicationId.newInstance(RM_START - 1, 1);
        dir(current, NOW - LeftoverStaging.UNKNOWN_GRACE_MS * 2);
        dir(other, NOW - LeftoverStaging.UNKNOWN_GRACE_MS * 2);
        LeftoverStaging.ApplicationStates down = app -> {
            throw new YarnException("ResourceManager unreachable");
        };

        assertEquals(List.of(), LeftoverStaging.clean(fs, root, down, current, NOW));
        assertTrue(fs.exists(new Path(root, current.toString())));
        assertTrue(fs.exists(new Path(root, other.toString())));
        assertEquals(List.of(), LeftoverStaging.clean(fs, new Path(root, "absent"), fakeRm(), current, NOW));
    }

    @Test
    void asksTheRmABoundedNumberOfTimesPerSubmission() throws IOException {
        for (int i = 1; i <= LeftoverStaging.MAX_CHECKED_PER_SUBMISSION + 5; i++) {
            ApplicationId a = ApplicationId.newInstance(RM_START, i);
            rm.put(a, YarnApplicationState.RUNNING);
            dir(a, NOW);
        }
        LeftoverStaging.clean(fs, root, fakeRm(), ApplicationId.newInstance(RM_START, 1000), NOW);
        assertEquals(LeftoverStaging.MAX_CHECKED_PER_SUBMISSION, rmCalls);
    }
}
