package dev.weft.yarn;

import dev.weft.conf.WeftConf;
import dev.weft.scheduler.JobShape;

/**
 * Which jobs run inside the driver instead of in executor containers, as MapReduce's uber mode decides for small
 * jobs: a job whose stages together have at most {@code weft.yarn.uber.max-tasks} tasks and whose input files total at
 * most {@code weft.yarn.uber.max-input} bytes. Starting a container costs seconds (allocation, localisation, a JVM);
 * such a job's tasks take milliseconds. The price is that the driver's container, in the drivers queue, does that
 * work, which is why the limits are small.
 *
 * <p>Immutable; thread-safe.
 */
record UberPolicy(boolean enabled, int maxTasks, long maxInputBytes) {
    UberPolicy {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("maxTasks must be >= 1: " + maxTasks);
        }
        if (maxInputBytes < 0) {
            throw new IllegalArgumentException("maxInputBytes is negative: " + maxInputBytes);
        }
    }

    static UberPolicy from(WeftConf conf) {
        return new UberPolicy(
                conf.get(YarnConfigKeys.UBER_ENABLED),
                conf.get(YarnConfigKeys.UBER_MAX_TASKS),
                conf.get(YarnConfigKeys.UBER_MAX_INPUT));
    }

    /** Why {@code job} does not run inside the driver, or null when it does. */
    String refusal(JobShape job) {
        if (!enabled) {
            return YarnConfigKeys.UBER_ENABLED.name() + " is false";
        }
        if (job.tasks() > maxTasks) {
            return job.tasks() + " tasks in " + job.stages() + " stages > " + YarnConfigKeys.UBER_MAX_TASKS.name()
                    + " (" + maxTasks + ")";
        }
        if (job.inputBytes() < 0) {
            return "the size of its input is not known";
        }
        if (job.inputBytes() > maxInputBytes) {
            return job.inputBytes() + " input bytes > " + YarnConfigKeys.UBER_MAX_INPUT.name() + " (" + maxInputBytes
                    + ")";
        }
        return null;
    }
}
