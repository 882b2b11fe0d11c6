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
    public static final ConfigKey<Boolean> EXCLUSION_ENABLED = new ConfigKey<>(
            "weft.exclusion.enabled",
            MODULE,
            "true",
            "Keep tasks away from executors and nodes whose tasks fail repeatedly (a bad disk, a broken library, a"
                    + " sick node), for weft.exclusion.timeout; on YARN an excluded executor's container is given"
                    + " back and replaced, and an excluded node is put on the application's placement blacklist."
                    + " Failures that count: those that count against a task's attempts (user, resource and internal"
                    + " errors), not lost executors, kills or fetch failures; a node whose shuffle service cannot be"
                    + " reached is excluded at once.",
            ConfigParsers.bool());
    public static final ConfigKey<Integer> EXCLUSION_EXECUTOR_FAILURES = new ConfigKey<>(
            "weft.exclusion.executor-failures",
            MODULE,
            "2",
            "Task failures on one executor within weft.exclusion.window that exclude it.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Integer> EXCLUSION_NODE_FAILURES = new ConfigKey<>(
            "weft.exclusion.node-failures",
            MODULE,
            "2",
            "Task failures on one node (all its executors together) within weft.exclusion.window that exclude the"
                    + " node. Equal to the executor limit by default, so a node with one executor is excluded with"
                    + " it; raise it to blame executors before nodes.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Long> EXCLUSION_WINDOW = new ConfigKey<>(
            "weft.exclusion.window",
            MODULE,
            "10min",
            "How far back task failures count towards an exclusion.",
            ConfigParsers.durationMillis(1));
    public static final ConfigKey<Long> EXCLUSION_TIMEOUT = new ConfigKey<>(
            "weft.exclusion.timeout",
            MODULE,
            "1h",
            "How long an exclusion lasts; then the executor or node is offered tasks again (on YARN, removed from"
                    + " the placement blacklist).",
            ConfigParsers.durationMillis(1));
    public static final ConfigKey<Boolean> SPECULATION = new ConfigKey<>(
            "weft.speculation",
            MODULE,
            "false",
            "Run a copy of a task that is much slower than its stage's other tasks on another host; the first attempt"
                    + " to finish wins and the other is killed. Output commits stay exactly one per partition (the"
                    + " driver authorises one attempt).",
            ConfigParsers.bool());
    public static final ConfigKey<Double> SPECULATION_MULTIPLIER = new ConfigKey<>(
            "weft.speculation.multiplier",
            MODULE,
            "1.5",
            "A running task is slow when it has run longer than this many times the median duration of its stage's"
                    + " succeeded tasks.",
            ConfigParsers.numberAbove(0));
    public static final ConfigKey<Double> SPECULATION_QUANTILE = new ConfigKey<>(
            "weft.speculation.quantile",
            MODULE,
            "0.75",
            "Fraction of a stage's tasks that must have succeeded before any of its tasks is copied.",
            ConfigParsers.fraction());
    public static final ConfigKey<Long> SPECULATION_MIN_RUNTIME = new ConfigKey<>(
            "weft.speculation.min-runtime",
            MODULE,
            "1s",
            "A task is never copied before it has run this long, however short its stage's median.",
            ConfigParsers.durationMillis(0));
    public static final ConfigKey<Long> SPECULATION_INTERVAL = new ConfigKey<>(
            "weft.speculation.interval",
            MODULE,
            "100ms",
            "How often the driver looks for slow tasks while speculation is on.",
            ConfigParsers.durationMillis(10));

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
            LISTENERS,
            EXCLUSION_ENABLED,
            EXCLUSION_EXECUTOR_FAILURES,
            EXCLUSION_NODE_FAILURES,
            EXCLUSION_WINDOW,
            EXCLUSION_TIMEOUT,
            SPECULATION,
            SPECULATION_MULTIPLIER,
            SPECULATION_QUANTILE,
            SPECULATION_MIN_RUNTIME,
            SPECULATION_INTERVAL);

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return KEYS;
    }
}
