package dev.weft.scheduler;

import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import java.util.concurrent.TimeUnit;

/**
 * When a running task gets a copy on another host ({@code weft.speculation.*}): once {@code quantile} of its stage's
 * tasks succeeded, a task running longer than {@code multiplier} times their median duration (and at least {@code
 * minRuntimeMillis}) is copied, once. Immutable.
 */
public record SpeculationPolicy(
        boolean enabled, double multiplier, double quantile, long minRuntimeMillis, long intervalMillis) {
    /** No task is ever copied. */
    public static final SpeculationPolicy DISABLED = new SpeculationPolicy(false, 1.5, 0.75, 0, 100);

    public SpeculationPolicy {
        if (!(multiplier > 0) || !(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException(
                    "multiplier must be > 0 and quantile in [0, 1]: " + multiplier + ", " + quantile);
        }
        if (minRuntimeMillis < 0 || intervalMillis < 1) {
            throw new IllegalArgumentException(
                    "min runtime must be >= 0 and interval >= 1 ms: " + minRuntimeMillis + ", " + intervalMillis);
        }
    }

    public static SpeculationPolicy from(WeftConf conf) {
        return new SpeculationPolicy(
                conf.get(RuntimeConfigKeys.SPECULATION),
                conf.get(RuntimeConfigKeys.SPECULATION_MULTIPLIER),
                conf.get(RuntimeConfigKeys.SPECULATION_QUANTILE),
                conf.get(RuntimeConfigKeys.SPECULATION_MIN_RUNTIME),
                conf.get(RuntimeConfigKeys.SPECULATION_INTERVAL));
    }

    long minRuntimeNanos() {
        return TimeUnit.MILLISECONDS.toNanos(minRuntimeMillis);
    }
}
