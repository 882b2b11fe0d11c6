package dev.weft.conf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Weft's configuration: an immutable map of {@code weft.*} keys, validated when built so a malformed or
 * misspelled key fails at start-up with the key's name, never deep inside a job.
 */
public final class WeftConf {
    public static final ConfigKey<String> APP_NAME = new ConfigKey<>(
            "weft.app.name", "Name shown in logs and, on YARN, in the ResourceManager.", "weft-app", s -> s);
    public static final ConfigKey<String> BACKEND = new ConfigKey<>(
            "weft.backend",
            "Where tasks run: 'local' (threads in this JVM), 'yarn' (executor containers), or 'auto': yarn when"
                    + " launched by 'yarn jar' or inside a Weft ApplicationMaster, else local.",
            "auto",
            s -> {
                if (!s.equals("local") && !s.equals("yarn") && !s.equals("auto")) {
                    throw new IllegalArgumentException("expected 'local', 'yarn' or 'auto', got '" + s + "'");
                }
                return s;
            });
    public static final ConfigKey<Integer> LOCAL_THREADS =
            new ConfigKey<>("weft.local.threads", "Task threads of the local backend.", null, ConfigKey.intAtLeast(1));
    public static final ConfigKey<Integer> DEFAULT_PARALLELISM = new ConfigKey<>(
            "weft.default.parallelism",
            "Partitions of parallelize and of shuffles when none is given; default: the number of task slots.",
            null,
            ConfigKey.intAtLeast(1));
    public static final ConfigKey<Integer> TASK_MAX_ATTEMPTS = new ConfigKey<>(
            "weft.task.maxAttempts",
            "Attempts of one task before its stage (and job) fails.",
            "4",
            ConfigKey.intAtLeast(1));
    public static final ConfigKey<Integer> STAGE_MAX_ATTEMPTS = new ConfigKey<>(
            "weft.stage.maxAttempts",
            "Attempts of one stage that end in fetch failures before the job fails.",
            "4",
            ConfigKey.intAtLeast(1));
    public static final ConfigKey<Long> MEMORY_BUDGET = new ConfigKey<>(
            "weft.memory.budget",
            "Per-executor budget for shuffle buffers, aggregation and cache; over it, data spills to disk."
                    + " Default: 30% of the maximum heap.",
            null,
            ConfigKey.bytes());
    public static final ConfigKey<String> LOCAL_DIR = new ConfigKey<>(
            "weft.local.dir",
            "Directory for shuffle files, spills and disk-cached blocks; default: a fresh directory under"
                    + " java.io.tmpdir, deleted on close.",
            null,
            s -> s);
    public static final ConfigKey<String> CHECKPOINT_DIR = new ConfigKey<>(
            "weft.checkpoint.dir", "Hadoop FileSystem directory for checkpoint(); no default.", null, s -> s);
    public static final ConfigKey<Long> LOCALITY_WAIT = new ConfigKey<>(
            "weft.locality.wait",
            "How long a stage waits for a free core at its current locality level (cache, node, rack) before it"
                    + " accepts the next worse one; 0 turns delay scheduling off. Milliseconds, or 3s, 1m.",
            "3s",
            ConfigKey.durationMillis());
    public static final ConfigKey<Long> LOCALITY_WAIT_PROCESS = new ConfigKey<>(
            "weft.locality.wait.process",
            "Wait at PROCESS_LOCAL (executor caching the partition); default: weft.locality.wait.",
            null,
            ConfigKey.durationMillis());
    public static final ConfigKey<Long> LOCALITY_WAIT_NODE = new ConfigKey<>(
            "weft.locality.wait.node",
            "Wait at NODE_LOCAL (executor on a host holding the input); default: weft.locality.wait.",
            null,
            ConfigKey.durationMillis());
    public static final ConfigKey<Long> LOCALITY_WAIT_RACK = new ConfigKey<>(
            "weft.locality.wait.rack",
            "Wait at RACK_LOCAL (executor on the input's rack); default: weft.locality.wait.",
            null,
            ConfigKey.durationMillis());

    public static final ConfigKey<String> DRIVER_QUEUE = new ConfigKey<>(
            "weft.yarn.driver.queue",
            "YARN queue of the driver (the ApplicationMaster).",
            "drivers",
            ConfigKey.nonEmpty());
    public static final ConfigKey<String> EXECUTOR_QUEUE = new ConfigKey<>(
            "weft.yarn.executor.queue",
            "YARN queue of the executors (a second application owned by the driver; one application when equal"
                    + " to the driver queue).",
            "executors",
            ConfigKey.nonEmpty());
    public static final ConfigKey<Long> DRIVER_MEMORY = new ConfigKey<>(
            "weft.driver.memory",
            "Heap of the driver container (container size adds overhead).",
            "1g",
            ConfigKey.bytes());
    public static final ConfigKey<Integer> DRIVER_CORES = new ConfigKey<>(
            "weft.driver.cores", "Virtual cores of the driver container.", "1", ConfigKey.intAtLeast(1));
    public static final ConfigKey<Long> EXECUTOR_MEMORY = new ConfigKey<>(
            "weft.executor.memory",
            "Heap of each executor container (container size adds overhead).",
            "1g",
            ConfigKey.bytes());
    public static final ConfigKey<Integer> EXECUTOR_CORES = new ConfigKey<>(
            "weft.executor.cores", "Task slots (and virtual cores) of each executor.", "1", ConfigKey.intAtLeast(1));
    public static final ConfigKey<Integer> EXECUTOR_INSTANCES =
            new ConfigKey<>("weft.executor.instances", "Executors to run.", "2", ConfigKey.intAtLeast(1));
    public static final ConfigKey<String> STAGING_DIR = new ConfigKey<>(
            "weft.yarn.staging.dir",
            "Where the client uploads jars; default: .weftStaging in the user's home directory.",
            null,
            s -> s);
    public static final ConfigKey<Integer> EXECUTOR_APP_LEASE_SECONDS = new ConfigKey<>(
            "weft.yarn.executorApp.leaseSeconds",
            "Lifetime of the executor application, renewed by a live driver: bounds how long executors outlive a"
                    + " driver that died without cleaning up.",
            "60",
            ConfigKey.intAtLeast(10));
    public static final ConfigKey<Integer> HEARTBEAT_TIMEOUT_SECONDS = new ConfigKey<>(
            "weft.executor.heartbeatTimeoutSeconds",
            "An executor silent this long is considered lost and its tasks re-run.",
            "30",
            ConfigKey.intAtLeast(1));

    public static final ConfigKey<Double> MIN_REGISTERED_RATIO = new ConfigKey<>(
            "weft.scheduler.minRegisteredRatio",
            "Fraction of the requested executors that must register before the first tasks are scheduled (so"
                    + " early executors do not take every task away from its data).",
            "0.8",
            ConfigKey.fraction());
    public static final ConfigKey<Long> MAX_REGISTERED_WAIT_MS = new ConfigKey<>(
            "weft.scheduler.maxRegisteredWaitMs",
            "Longest wait for weft.scheduler.minRegisteredRatio, in milliseconds.",
            "30000",
            s -> (long) ConfigKey.intAtLeast(0).apply(s));

    public static final List<ConfigKey<?>> KEYS = List.of(
            APP_NAME,
            BACKEND,
            LOCAL_THREADS,
            DEFAULT_PARALLELISM,
            TASK_MAX_ATTEMPTS,
            STAGE_MAX_ATTEMPTS,
            MEMORY_BUDGET,
            LOCAL_DIR,
            CHECKPOINT_DIR,
            LOCALITY_WAIT,
            LOCALITY_WAIT_PROCESS,
            LOCALITY_WAIT_NODE,
            LOCALITY_WAIT_RACK,
            DRIVER_QUEUE,
            EXECUTOR_QUEUE,
            DRIVER_MEMORY,
            DRIVER_CORES,
            EXECUTOR_MEMORY,
            EXECUTOR_CORES,
            EXECUTOR_INSTANCES,
            STAGING_DIR,
            EXECUTOR_APP_LEASE_SECONDS,
            HEARTBEAT_TIMEOUT_SECONDS,
            MIN_REGISTERED_RATIO,
            MAX_REGISTERED_WAIT_MS);

    private final Map<String, String> values;

    private WeftConf(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        for (String k : this.values.keySet()) {
            if (k.startsWith("weft.")
                    && !ownedElsewhere(k)
                    && KEYS.stream().noneMatch(key -> key.name().equals(k))) {
                throw new IllegalArgumentException("unknown configuration key '" + k + "'");
            }
        }
        for (ConfigKey<?> key : KEYS) {
            get(key); // validate every value now
        }
    }

    /**
     * Prefixes of keys that other components validate: the NodeManager shuffle service and the transport
     * (set in yarn-site.xml, which programs also read) and the driver-executor protocol.
     */
    public static final List<String> OTHER_COMPONENTS =
            List.of("weft.shuffle.service.", "weft.shuffle.transport.", "weft.rpc.");

    private static boolean ownedElsewhere(String key) {
        return OTHER_COMPONENTS.stream().anyMatch(key::startsWith);
    }

    public static WeftConf defaults() {
        return new WeftConf(Map.of());
    }

    public static WeftConf of(Map<String, String> values) {
        return new WeftConf(values);
    }

    /** A copy with one key set. */
    public WeftConf with(String key, String value) {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(value, "value of " + key + " is null");
        Map<String, String> m = new LinkedHashMap<>(values);
        m.put(key, value);
        return new WeftConf(m);
    }

    public <T> WeftConf with(ConfigKey<T> key, String value) {
        return with(key.name(), value);
    }

    /** The parsed value, or null when neither set nor defaulted. */
    public <T> T get(ConfigKey<T> key) {
        String raw = values.getOrDefault(key.name(), key.defaultValue());
        if (raw == null) {
            return null;
        }
        try {
            return key.parser().apply(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid value for " + key.name() + ": " + e.getMessage(), e);
        }
    }

    public <T> T get(ConfigKey<T> key, T fallback) {
        T v = get(key);
        return v == null ? fallback : v;
    }

    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return "WeftConf" + values;
    }
}
