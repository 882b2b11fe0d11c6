package dev.weft.yarn;

import dev.weft.conf.WeftConf;

/**
 * Dynamic allocation: when to ask for more executors and how many may be given back. Once tasks have waited for a
 * core for the backlog timeout, one more executor is asked for; while they keep waiting, twice as many each further
 * timeout (1, 2, 4, ...), never beyond what the waiting and running tasks could use, nor beyond the maximum. Idle
 * executors are given back (by the backend, after {@code weft.executor.idle-timeout}) down to the minimum.
 *
 * <p>Only in force where executors' map output outlives them (the NodeManager's shuffle service serves it): the
 * backend checks that per executor before giving one back. Allocator thread only; times are {@link Ticker} nanos.
 */
final class DynamicAllocation {
    /**
     * @param min              executors kept however idle
     * @param max              executors asked for at most
     * @param backlogTimeoutMs how long tasks wait for a core before more executors are asked for, and between ramps
     */
    record Settings(boolean enabled, int min, int max, long backlogTimeoutMs) {
        Settings {
            if (min < 0 || max < 1 || min > max) {
                throw new IllegalArgumentException(
                        "dynamic allocation needs 0 <= min-executors <= max-executors and max >= 1; got min " + min
                                + ", max " + max);
            }
            if (backlogTimeoutMs < 1) {
                throw new IllegalArgumentException("backlog timeout must be >= 1 ms: " + backlogTimeoutMs);
            }
        }

        static Settings from(WeftConf conf) {
            int instances = conf.get(YarnConfigKeys.EXECUTOR_INSTANCES);
            int max = conf.get(YarnConfigKeys.DYNAMIC_MAX_EXECUTORS, instances);
            int min = conf.get(YarnConfigKeys.DYNAMIC_MIN_EXECUTORS);
            if (min > max) {
                throw new IllegalArgumentException(YarnConfigKeys.DYNAMIC_MIN_EXECUTORS.name() + " (" + min
                        + ") is above " + YarnConfigKeys.DYNAMIC_MAX_EXECUTORS.name() + " (" + max + ")");
            }
            if (max < instances) {
                throw new IllegalArgumentException(YarnConfigKeys.DYNAMIC_MAX_EXECUTORS.name() + " (" + max
                        + ") is below " + YarnConfigKeys.EXECUTOR_INSTANCES.name() + " (" + instances
                        + "), the executors asked for at the start");
            }
            return new Settings(
                    conf.get(YarnConfigKeys.DYNAMIC_ENABLED),
                    min,
                    max,
                    conf.get(YarnConfigKeys.DYNAMIC_BACKLOG_TIMEOUT));
        }
    }

    private final Settings settings;
    /** When the current backlog began; -1 while no task waits. */
    private long backlogSinceNanos = -1;
    /** When the next ramp is due while the backlog lasts. */
    private long nextRampNanos;
    /** How many executors the next ramp asks for. */
    private int step = 1;

    DynamicAllocation(Settings settings) {
        this.settings = settings;
    }

    boolean enabled() {
        return settings.enabled();
    }

    Settings settings() {
        return settings;
    }

    /**
     * How many executors to ask for now.
     *
     * @param waitingTasks tasks waiting for a core
     * @param runningTasks tasks running
     * @param cores        cores per executor
     * @param executors    executors live, starting or asked for
     */
    int toRequest(long nowNanos, int waitingTasks, int runningTasks, int cores, int executors) {
        if (!settings.enabled() || waitingTasks == 0) {
            backlogSinceNanos = -1;
            step = 1;
            return 0;
        }
        long timeout = settings.backlogTimeoutMs() * 1_000_000L;
        if (backlogSinceNanos < 0) {
            backlogSinceNanos = nowNanos;
            nextRampNanos = nowNanos + timeout;
            return 0;
        }
        if (nowNanos - nextRampNanos < 0) {
            return 0;
        }
        int useful = (int) Math.min(settings.max(), ((long) waitingTasks + runningTasks + cores - 1) / cores);
        int more = Math.max(0, Math.min(step, useful - executors));
        nextRampNanos = nowNanos + timeout;
        step = (int) Math.min(1 << 20, 2L * step);
        return more;
    }

    /** How many of {@code live} executors may be given back for idleness. */
    int releasable(int live) {
        return settings.enabled() ? Math.max(0, live - settings.min()) : live;
    }
}
