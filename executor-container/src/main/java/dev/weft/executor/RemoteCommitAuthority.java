package dev.weft.executor;

import dev.weft.exec.CommitAuthority;
import dev.weft.executor.proto.CommitDecision;
import dev.weft.executor.rpc.DriverClient;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the driver whether an attempt may commit. A driver that cannot be asked is not a yes: the attempt fails
 * (and is retried) rather than commit unauthorised.
 *
 * <p>Thread-safe; blocks the calling task thread up to the ask timeout. Never call it on an event loop.
 */
final class RemoteCommitAuthority implements CommitAuthority {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCommitAuthority.class);
    private final DriverClient driver;

    RemoteCommitAuthority(DriverClient driver) {
        this.driver = driver;
    }

    @Override
    public boolean canCommit(int stageId, int partition, long taskAttemptId) {
        try {
            CommitDecision d =
                    driver.canCommit(stageId, partition, taskAttemptId).get();
            if (!d.getGranted()) {
                LOG.info(
                        "task {} may not commit partition {} of stage {}: {}",
                        taskAttemptId,
                        partition,
                        stageId,
                        d.getReason());
            }
            return d.getGranted();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot ask the driver whether task " + taskAttemptId + " may commit: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while asking the driver whether task " + taskAttemptId + " may commit", e);
        }
    }
}
