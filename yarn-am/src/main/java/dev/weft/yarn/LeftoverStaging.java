package dev.weft.yarn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes per-application staging directories that a crashed driver left under the user's staging root
 * (a driver killed by the ResourceManager, or one whose container died, never reaches its own cleanup).
 * A directory is removed only once the ResourceManager reports its application finished, failed or killed,
 * or no longer knows it: an application of an earlier ResourceManager incarnation (another cluster
 * timestamp), or one of this incarnation whose directory is older than {@link #UNKNOWN_GRACE_MS} (the RM
 * forgets completed applications past {@code yarn.resourcemanager.max-completed-applications}). The grace
 * period matters: another client of the same user stages its directory before it submits, and until then
 * the RM does not know that application either. Runs in the client before each submission; never fails
 * a submission. Not thread-safe.
 */
final class LeftoverStaging {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverStaging.class);
    private static final Pattern APP_DIR = Pattern.compile("application_\\d+_\\d+");
    private static final Set<YarnApplicationState> ENDED =
            EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);
    /** Bounds the ResourceManager calls one submission makes; the rest wait for later submissions. */
    static final int MAX_CHECKED_PER_SUBMISSION = 50;
    /** How old the directory of an application unknown to this RM incarnation must be before it is removed. */
    static final long UNKNOWN_GRACE_MS = 10 * 60 * 1000L;

    /** What the cleaner needs of the ResourceManager: the state of one application. */
    interface ApplicationStates {
        /** The application's state; throws {@link ApplicationNotFoundException} when the RM does not know it. */
        YarnApplicationState stateOf(ApplicationId app) throws IOException, YarnException;
    }

    private LeftoverStaging() {}

    /**
     * Deletes the leftovers under {@code root}; returns the directories removed.
     *
     * @param current an application id issued by the ResourceManager now (its cluster timestamp names the
     *     RM's incarnation; its own directory, if any, is never touched)
     * @param nowMillis the file system's clock reading, for the grace period of unknown applications
     */
    static List<Path> clean(FileSystem fs, Path root, ApplicationStates rm, ApplicationId current, long nowMillis) {
        List<Path> removed = new ArrayList<>();
        FileStatus[] children;
        try {
            if (!fs.exists(root)) {
                return removed;
            }
            children = fs.listStatus(root);
        } catch (IOException e) {
            LOG.warn("cannot list the staging root {}: {}", root, e.toString());
            return removed;
        }
        int checked = 0;
        for (FileStatus child : children) {
            String name = child.getPath().getName();
            if (!child.isDirectory() || !APP_DIR.matcher(name).matches()) {
                continue; // the jar cache and anything not ours
            }
            if (checked++ >= MAX_CHECKED_PER_SUBMISSION) {
                break;
            }
            ApplicationId app;
            try {
                app = ApplicationId.fromString(name);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (app.equals(current)) {
                continue;
            }
            boolean unknownRemovable = app.getClusterTimestamp() != current.getClusterTimestamp()
                    || nowMillis - child.getModificationTime() > UNKNOWN_GRACE_MS;
            if (ended(rm, app, unknownRemovable)) {
                try {
                    if (fs.delete(child.getPath(), true)) {
                        removed.add(child.getPath());
                        LOG.info("removed the staging directory {} left by ended application {}", child.getPath(), app);
                    }
                } catch (IOException e) {
                    LOG.warn("cannot remove the leftover staging directory {}: {}", child.getPath(), e.toString());
                }
            }
        }
        return removed;
    }

    private static boolean ended(ApplicationStates rm, ApplicationId app, boolean unknownRemovable) {
        try {
            return ENDED.contains(rm.stateOf(app));
        } catch (ApplicationNotFoundException e) {
            return unknownRemovable;
        } catch (IOException | YarnException e) {
            LOG.warn("cannot ask the ResourceManager about {}: {}; keeping its staging directory", app, e.toString());
            return false;
        }
    }
}
