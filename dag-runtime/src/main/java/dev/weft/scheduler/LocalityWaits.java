package dev.weft.scheduler;

import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import dev.weft.events.TaskLocality;
import java.util.concurrent.TimeUnit;

/**
 * How long a task set waits at each locality level before it accepts the next worse one (delay
 * scheduling). Immutable.
 */
public record LocalityWaits(long processMillis, long nodeMillis, long rackMillis) {
    /** No delay scheduling: every task set takes the best level an offer has, immediately. */
    public static final LocalityWaits NONE = new LocalityWaits(0, 0, 0);

    public LocalityWaits {
        if (processMillis < 0 || nodeMillis < 0 || rackMillis < 0) {
            throw new IllegalArgumentException(
                    "locality waits must be >= 0: " + processMillis + ", " + nodeMillis + ", " + rackMillis);
        }
    }

    /** {@code weft.locality.wait}, overridden per level by {@code weft.locality.wait.{process,node,rack}}. */
    public static LocalityWaits from(WeftConf conf) {
        long all = conf.get(RuntimeConfigKeys.LOCALITY_WAIT);
        return new LocalityWaits(
                conf.get(RuntimeConfigKeys.LOCALITY_WAIT_PROCESS, all),
                conf.get(RuntimeConfigKeys.LOCALITY_WAIT_NODE, all),
                conf.get(RuntimeConfigKeys.LOCALITY_WAIT_RACK, all));
    }

    /** The wait at {@code level} in nanoseconds; 0 for NO_PREF (nothing to wait for) and ANY (the last level). */
    long nanos(TaskLocality level) {
        long ms = switch (level) {
            case PROCESS_LOCAL -> processMillis;
            case NODE_LOCAL -> nodeMillis;
            case RACK_LOCAL -> rackMillis;
            case NO_PREF, ANY -> 0;
        };
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
