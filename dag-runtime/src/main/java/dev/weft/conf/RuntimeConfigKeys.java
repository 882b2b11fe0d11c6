package dev.weft.conf;

import java.util.List;

/** The keys the engine itself (dag-runtime) reads, on every backend. */
public final class RuntimeConfigKeys implements ConfigKeyProvider {
    private static final String MODULE = ConfigRegistry.CORE_MODULE;

    public static final ConfigKey<String> APP_NAME = new ConfigKey<>(
            "weft.app.name",
            MODULE,
            "weft-app",
            "Name shown in logs and, on YARN, in the ResourceManager.",
            ConfigParsers.text());
    public static final ConfigKey<String> BACKEND = new ConfigKey<>(
            "weft.backend",
            MODULE,
            "auto",
            "Where tasks run: local (threads in this JVM), yarn (executor containers), or auto: yarn when launched by"
                    + " 'yarn jar' or inside a Weft ApplicationMaster, else local.",
            ConfigParsers.oneOf("local", "yarn", "auto"));
    public static final ConfigKey<Integer> LOCAL_THREADS = new ConfigKey<>(
            "weft.local.threads",
            MODULE,
            null,
            "Task threads of the local backend; default: the number of processors.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Integer> DEFAULT_PARALLELISM = new ConfigKey<>(
            "weft.default.parallelism",
            MODULE,
            null,
            "Partitions of parallelize and of shuffles when none is given; default: the number of task slots.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Integer> TASK_MAX_ATTEMPTS = new ConfigKey<>(
            "weft.task.max-attempts",
            MODULE,
            "4",
            "Attempts of one task before its stage (and job) fails.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Integer> STAGE_MAX_ATTEMPTS = new ConfigKey<>(
            "weft.stage.max-attempts",
            MODULE,
            "4",
            "Attempts of one stage that end in fetch failures before the job fails.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Long> MEMORY_BUDGET = new ConfigKey<>(
            "weft.memory.budget",
            MODULE,
            null,
            "Per-executor budget for shuffle buffers, aggregation and cache; over it, data spills to disk."
                    + " Default: 30% of the maximum heap.",
            ConfigParsers.bytes(1, Long.MAX_VALUE));
    public static final ConfigKey<String> LOCAL_DIR = new ConfigKey<>(
            "weft.local.dir",
            MODULE,
            null,
            "Directory for shuffle files, spills and disk-cached blocks; default: a fresh directory under"
                    + " java.io.tmpdir, deleted on close.",
            ConfigParsers.text());
    public static final ConfigKey<String> CHECKPOINT_DIR = new ConfigKey<>(
            "weft.checkpoint.dir",
            MODULE,
            null,
            "Hadoop FileSystem directory for checkpoint(); no default.",
            ConfigParsers.text());
    public static final ConfigKey<Long> LOCALITY_WAIT = new ConfigKey<>(
            "weft.locality.wait",
            MODULE,
            "3s",
            "How long a stage waits for a free core at its current locality level (cache, node, rack) before it"
                    + " accepts the next worse one; 0 turns delay scheduling off.",
            ConfigParsers.durationMillis(0));
    public static final ConfigKey<Long> LOCALITY_WAIT_PROCESS = new ConfigKey<>(
            "weft.locality.wait.process",
            MODULE,
            null,
            "Wait at PROCESS_LOCAL (executor caching the partition); default: weft.locality.wait.",
            ConfigParsers.durationMillis(0));
    public static final ConfigKey<Long> LOCALITY_WAIT_NODE = new ConfigKey<>(
            "weft.locality.wait.node",
            MODULE,
            null,
            "Wait at NODE_LOCAL (executor on a host holding the input); default: weft.locality.wait.",
            ConfigParsers.durationMillis(0));
    public static final ConfigKey<Long> LOCALITY_WAIT_RACK = new ConfigKey<>(
            "weft.locality.wait.rack",
            MODULE,
            null,
            "Wait at RACK_LOCAL (executor on the input's rack); default: weft.locality.wait.",
            ConfigParsers.durationMillis(0));

    public static final ConfigKey<List<String>> LISTENERS = new ConfigKey<>(
            "weft.listeners",
            MODULE,
            "",
            "Classes implementing dev.weft.events.WeftListener that the driver's context adds before its first job"
                    + " (as Spark's spark.extraListeners): each needs a public constructor taking (WeftConf,"
                    + " org.apache.hadoop.conf.Configuration) or none; one that is AutoCloseable is closed when the"
                    + " context closes, after the last event.",
            ConfigParsers.classNames());
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
            LISTENERS);

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return KEYS;
    }
}
