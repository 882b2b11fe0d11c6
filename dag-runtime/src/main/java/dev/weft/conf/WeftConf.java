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
    public static final ConfigKey<String> APP_NAME = new ConfigKey<>("weft.app.name",
            "Name shown in logs and, on YARN, in the ResourceManager.", "weft-app", s -> s);
    public static final ConfigKey<String> BACKEND = new ConfigKey<>("weft.backend",
            "Where tasks run: 'local' (threads in this JVM).", "local", s -> {
                if (!s.equals("local")) {
                    throw new IllegalArgumentException("expected 'local', got '" + s + "'");
                }
                return s;
            });
    public static final ConfigKey<Integer> LOCAL_THREADS = new ConfigKey<>("weft.local.threads",
            "Task threads of the local backend.", null, ConfigKey.intAtLeast(1));
    public static final ConfigKey<Integer> DEFAULT_PARALLELISM = new ConfigKey<>("weft.default.parallelism",
            "Partitions of parallelize and of shuffles when none is given; default: the number of task slots.",
            null, ConfigKey.intAtLeast(1));
    public static final ConfigKey<Integer> TASK_MAX_ATTEMPTS = new ConfigKey<>("weft.task.maxAttempts",
            "Attempts of one task before its stage (and job) fails.", "4", ConfigKey.intAtLeast(1));
    public static final ConfigKey<Integer> STAGE_MAX_ATTEMPTS = new ConfigKey<>("weft.stage.maxAttempts",
            "Attempts of one stage that end in fetch failures before the job fails.", "4", ConfigKey.intAtLeast(1));
    public static final ConfigKey<Long> MEMORY_BUDGET = new ConfigKey<>("weft.memory.budget",
            "Per-executor budget for shuffle buffers, aggregation and cache; over it, data spills to disk."
                    + " Default: 30% of the maximum heap.", null, ConfigKey.bytes());
    public static final ConfigKey<String> LOCAL_DIR = new ConfigKey<>("weft.local.dir",
            "Directory for shuffle files, spills and disk-cached blocks; default: a fresh directory under"
                    + " java.io.tmpdir, deleted on close.", null, s -> s);
    public static final ConfigKey<String> CHECKPOINT_DIR = new ConfigKey<>("weft.checkpoint.dir",
            "Hadoop FileSystem directory for checkpoint(); no default.", null, s -> s);

    public static final List<ConfigKey<?>> KEYS = List.of(APP_NAME, BACKEND, LOCAL_THREADS, DEFAULT_PARALLELISM,
            TASK_MAX_ATTEMPTS, STAGE_MAX_ATTEMPTS, MEMORY_BUDGET, LOCAL_DIR, CHECKPOINT_DIR);

    private final Map<String, String> values;

    private WeftConf(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        for (String k : this.values.keySet()) {
            if (k.startsWith("weft.") && KEYS.stream().noneMatch(key -> key.name().equals(k))) {
                throw new IllegalArgumentException("unknown configuration key '" + k + "'");
            }
        }
        for (ConfigKey<?> key : KEYS) {
            get(key); // validate every value now
        }
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
