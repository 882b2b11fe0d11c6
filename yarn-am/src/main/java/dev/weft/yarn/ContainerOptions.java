package dev.weft.yarn;

import dev.weft.conf.WeftConf;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one kind of Weft container (the driver, or every executor) is launched, from the job's keys: heap, the memory
 * beyond it, extra JVM options, extra environment variables and the node label expression. Immutable.
 *
 * @param overheadBytes memory of the container beyond the heap
 * @param nodeLabel the node label expression, or null for the default partition
 */
record ContainerOptions(
        String role,
        long heapBytes,
        long overheadBytes,
        List<String> javaOptions,
        Map<String, String> environment,
        String nodeLabel) {
    /** YARN's floor for the memory outside the heap, as Spark and MapReduce use. */
    static final long MIN_OVERHEAD_BYTES = 384L << 20;

    ContainerOptions {
        Objects.requireNonNull(role, "role is null");
        if (heapBytes <= 0 || overheadBytes < 0) {
            throw new IllegalArgumentException(
                    "heap " + heapBytes + " must be positive, overhead " + overheadBytes + " not negative");
        }
        javaOptions = List.copyOf(javaOptions);
        environment = Map.copyOf(environment);
    }

    static ContainerOptions driver(WeftConf conf) {
        long heap = conf.get(YarnConfigKeys.DRIVER_MEMORY);
        return new ContainerOptions(
                "driver",
                heap,
                conf.get(YarnConfigKeys.DRIVER_MEMORY_OVERHEAD, defaultOverhead(heap)),
                withLogLevel(conf.get(YarnConfigKeys.DRIVER_LOG_LEVEL), conf.get(YarnConfigKeys.DRIVER_JAVA_OPTIONS)),
                conf.get(YarnConfigKeys.DRIVER_ENV),
                conf.get(YarnConfigKeys.DRIVER_NODE_LABEL));
    }

    static ContainerOptions executor(WeftConf conf) {
        long heap = conf.get(YarnConfigKeys.EXECUTOR_MEMORY);
        return new ContainerOptions(
                "executor",
                heap,
                conf.get(YarnConfigKeys.EXECUTOR_MEMORY_OVERHEAD, defaultOverhead(heap)),
                withLogLevel(
                        conf.get(YarnConfigKeys.EXECUTOR_LOG_LEVEL), conf.get(YarnConfigKeys.EXECUTOR_JAVA_OPTIONS)),
                conf.get(YarnConfigKeys.EXECUTOR_ENV),
                conf.get(YarnConfigKeys.EXECUTOR_NODE_LABEL));
    }

    /**
     * The log level (read by the container's log4j2 file as {@code weft.log.level}) ahead of the user's own options,
     * so that a {@code -Dweft.log.level} among them still wins.
     */
    private static List<String> withLogLevel(String level, List<String> userOptions) {
        List<String> options = new java.util.ArrayList<>(userOptions.size() + 1);
        options.add("-Dweft.log.level=" + level);
        options.addAll(userOptions);
        return options;
    }

    /** 10% of the heap in whole MiB, at least {@link #MIN_OVERHEAD_BYTES}. */
    static long defaultOverhead(long heapBytes) {
        return Math.max(MIN_OVERHEAD_BYTES, ((heapBytes >> 20) / 10) << 20);
    }

    /** The container's memory: heap plus overhead, in whole MiB rounded up. */
    int containerMiB() {
        long bytes = heapBytes + overheadBytes;
        return (int) Math.min(Integer.MAX_VALUE, (bytes + (1 << 20) - 1) >> 20);
    }

    long heapMiB() {
        return heapBytes >> 20;
    }
}
