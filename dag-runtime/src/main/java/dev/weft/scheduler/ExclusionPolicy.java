package dev.weft.scheduler;

import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import java.util.concurrent.TimeUnit;

/**
 * When the scheduler stops offering an executor's or a node's cores after task failures there ({@code
 * weft.exclusion.*}). Immutable.
 *
 * @param executorFailures failures on one executor within {@code windowMillis} that exclude it
 * @param nodeFailures     failures on one node (all its executors) within {@code windowMillis} that exclude it
 * @param timeoutMillis    how long an exclusion lasts
 */
public record ExclusionPolicy(
        boolean enabled, int executorFailures, int nodeFailures, long windowMillis, long timeoutMillis) {
    /** Nothing is ever excluded. */
    public static final ExclusionPolicy DISABLED = new ExclusionPolicy(false, 1, 1, 1, 1);

    public ExclusionPolicy {
        if (executorFailures < 1 || nodeFailures < 1) {
            throw new IllegalArgumentException(
                    "failure limits must be >= 1: executor " + executorFailures + ", node " + nodeFailures);
        }
        if (windowMillis < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException(
                    "window and timeout must be >= 1 ms: " + windowMillis + ", " + timeoutMillis);
        }
    }

    public static ExclusionPolicy from(WeftConf conf) {
        return new ExclusionPolicy(
                conf.get(RuntimeConfigKeys.EXCLUSION_ENABLED),
                conf.get(RuntimeConfigKeys.EXCLUSION_EXECUTOR_FAILURES),
                conf.get(RuntimeConfigKeys.EXCLUSION_NODE_FAILURES),
                conf.get(RuntimeConfigKeys.EXCLUSION_WINDOW),
                conf.get(RuntimeConfigKeys.EXCLUSION_TIMEOUT));
    }

    long windowNanos() {
        return TimeUnit.MILLISECONDS.toNanos(windowMillis);
    }

    long timeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }
}
