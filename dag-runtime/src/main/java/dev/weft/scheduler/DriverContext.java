package dev.weft.scheduler;

import dev.weft.conf.WeftConf;
import dev.weft.storage.BroadcastStore;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/**
 * What a backend gets from the driver: configuration, the driver-side state that executors query (map
 * output locations, broadcast bytes, output commit decisions), and the scheduler's pending tasks' preferred hosts
 * ({@link PendingTaskLocality}, a thread-safe snapshot the backend polls to request executors near the data).
 */
public record DriverContext(
        WeftConf conf,
        Configuration hadoopConf,
        MapOutputTracker mapOutputs,
        BroadcastStore broadcasts,
        EventPublisher events,
        Path localDir,
        PendingTaskLocality pendingTasks,
        OutputCommitCoordinator commits) {
    public DriverContext {
        Objects.requireNonNull(conf, "conf is null");
        Objects.requireNonNull(hadoopConf, "hadoopConf is null");
        Objects.requireNonNull(mapOutputs, "mapOutputs is null");
        Objects.requireNonNull(broadcasts, "broadcasts is null");
        Objects.requireNonNull(events, "events is null");
        Objects.requireNonNull(localDir, "localDir is null");
        Objects.requireNonNull(pendingTasks, "pendingTasks is null");
        Objects.requireNonNull(commits, "commits is null");
    }
}
