package dev.weft.yarn;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigKeyProvider;
import dev.weft.conf.ConfigParsers;
import dev.weft.conf.WeftConf;
import java.util.List;

/**
 * The keys the YARN client and driver read: queues, container sizes and counts, staging, the executor
 * application's lease and the wait for executors to register. Executors themselves read none of these (they get
 * their heap and cores as launch arguments), so the keys live here rather than in executor-container; the
 * driver-executor protocol keys ({@code weft.rpc.*}, heartbeats) are executor-container's.
 */
public final class YarnConfigKeys implements ConfigKeyProvider {
    private static final String MODULE = "yarn-am";
    /** Container heap below this leaves no room for the JVM itself. */
    private static final long MIN_HEAP = 32L << 20;

    public static final ConfigKey<String> DRIVER_QUEUE = new ConfigKey<>(
            "weft.yarn.driver.queue",
            MODULE,
            "drivers",
            "YARN queue of the driver (the ApplicationMaster).",
            ConfigParsers.nonEmpty());
    public static final ConfigKey<String> EXECUTOR_QUEUE = new ConfigKey<>(
            "weft.yarn.executor.queue",
            MODULE,
            "executors",
            "YARN queue of the executors (a second application owned by the driver; one application when equal"
                    + " to the driver queue).",
            ConfigParsers.nonEmpty());
    public static final ConfigKey<Long> DRIVER_MEMORY = new ConfigKey<>(
            "weft.driver.memory",
            MODULE,
            "1g",
            "Heap of the driver container (container size adds overhead).",
            ConfigParsers.mebibytes(MIN_HEAP));
    public static final ConfigKey<Integer> DRIVER_CORES = new ConfigKey<>(
            "weft.driver.cores", MODULE, "1", "Virtual cores of the driver container.", ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Long> EXECUTOR_MEMORY = new ConfigKey<>(
            "weft.executor.memory",
            MODULE,
            "1g",
            "Heap of each executor container (container size adds overhead).",
            ConfigParsers.mebibytes(MIN_HEAP));
    public static final ConfigKey<Integer> EXECUTOR_CORES = new ConfigKey<>(
            "weft.executor.cores",
            MODULE,
            "1",
            "Task slots (and virtual cores) of each executor.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Integer> EXECUTOR_INSTANCES =
            new ConfigKey<>("weft.executor.instances", MODULE, "2", "Executors to run.", ConfigParsers.intAtLeast(1));
    public static final ConfigKey<String> STAGING_DIR = new ConfigKey<>(
            "weft.yarn.staging.dir",
            MODULE,
            null,
            "Where the client uploads jars; default: .weftStaging in the user's home directory.",
            ConfigParsers.text());
    public static final ConfigKey<Long> EXECUTOR_APP_LEASE = new ConfigKey<>(
            "weft.yarn.executor-app.lease",
            MODULE,
            "60s",
            "Lifetime of the executor application, renewed by a live driver: bounds how long executors outlive a"
                    + " driver that died without cleaning up (YARN counts whole seconds; rounded up).",
            ConfigParsers.durationMillis(10_000));
    public static final ConfigKey<Integer> EXECUTOR_APP_MAX_ATTEMPTS = new ConfigKey<>(
            "weft.yarn.executor-app.max-attempts",
            MODULE,
            "2",
            "Executor applications the driver starts in all: when its executor application ends under it (killed, its"
                    + " lease lost, the ResourceManager forgot it, or allocate calls failing for"
                    + " weft.yarn.executor-app.allocate-timeout), the driver reports its executors lost (with their map"
                    + " output, which YARN deletes with the application) and starts a new one, up to this many; then"
                    + " every job fails naming the cause.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Long> EXECUTOR_APP_ALLOCATE_TIMEOUT = new ConfigKey<>(
            "weft.yarn.executor-app.allocate-timeout",
            MODULE,
            "60s",
            "How long allocate calls for the executor application may fail in a row (the ResourceManager unreachable)"
                    + " before the driver gives the application up, kills it and starts another.",
            ConfigParsers.durationMillis(1_000));
    public static final ConfigKey<Double> MIN_REGISTERED_RATIO = new ConfigKey<>(
            "weft.scheduler.min-registered-ratio",
            MODULE,
            "0.8",
            "Fraction of the requested executors that must register before the first tasks are scheduled (so"
                    + " early executors do not take every task away from its data).",
            ConfigParsers.fraction());
    public static final ConfigKey<Long> MAX_REGISTERED_WAIT = new ConfigKey<>(
            "weft.scheduler.max-registered-wait",
            MODULE,
            "30s",
            "Longest wait for weft.scheduler.min-registered-ratio, counted from when executor containers are first"
                    + " asked for (not from the driver's start: jobs run inside the driver in uber mode come first).",
            ConfigParsers.durationMillis(0));
    public static final ConfigKey<Long> EXECUTOR_IDLE_TIMEOUT = new ConfigKey<>(
            "weft.executor.idle-timeout",
            MODULE,
            "60s",
            "Give an executor's container back to YARN once it has run no task for this long and no task is"
                    + " waiting (its map output stays served by the NodeManager's shuffle service; an executor serving"
                    + " its own, or holding cached blocks, is kept); it is asked for again when tasks wait. 0 keeps"
                    + " executors for the whole program.",
            ConfigParsers.durationMillis(0));
    public static final ConfigKey<Boolean> DYNAMIC_ENABLED = new ConfigKey<>(
            "weft.dynamic-allocation.enabled",
            MODULE,
            "true",
            "Dynamic allocation: ask for more executors (up to weft.dynamic-allocation.max-executors) while tasks wait"
                    + " for a core longer than weft.dynamic-allocation.backlog-timeout, ramping 1, 2, 4, ...; give back"
                    + " executors idle for weft.executor.idle-timeout down to weft.dynamic-allocation.min-executors."
                    + " Only executors whose map output the NodeManager's shuffle service serves are given back, and"
                    + " those holding cached blocks are kept. It starts with weft.executor.instances.",
            ConfigParsers.bool());
    public static final ConfigKey<Integer> DYNAMIC_MIN_EXECUTORS = new ConfigKey<>(
            "weft.dynamic-allocation.min-executors",
            MODULE,
            "0",
            "Executors dynamic allocation keeps however idle.",
            ConfigParsers.intAtLeast(0));
    public static final ConfigKey<Integer> DYNAMIC_MAX_EXECUTORS = new ConfigKey<>(
            "weft.dynamic-allocation.max-executors",
            MODULE,
            null,
            "Executors dynamic allocation asks for at most; default weft.executor.instances (no growth beyond it).",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Long> DYNAMIC_BACKLOG_TIMEOUT = new ConfigKey<>(
            "weft.dynamic-allocation.backlog-timeout",
            MODULE,
            "1s",
            "How long tasks wait for a core before more executors are asked for, and between ramps while they still"
                    + " wait.",
            ConfigParsers.durationMillis(1));
    public static final ConfigKey<Long> PREEMPTION_REASK_DELAY = new ConfigKey<>(
            "weft.executor.preemption-reask-delay",
            MODULE,
            "5s",
            "How long the ResourceManager must have asked for no container back before the executor application"
                    + " asks again for the executors it gave up and the requests it withdrew when asked. Asking at"
                    + " once can win the freed node back from the driver the preemption was for (the"
                    + " CapacityScheduler counts that driver's reservation elsewhere as its queue's usage). 0 asks"
                    + " again at once.",
            ConfigParsers.durationMillis(0));
    public static final ConfigKey<Long> STRICT_PLACEMENT_WAIT = new ConfigKey<>(
            "weft.yarn.executor.strict-placement-wait",
            MODULE,
            "3s",
            "How long a container request naming a NodeManager that holds pending tasks' data stays strict (that node"
                    + " only) before it is asked for anywhere. Hosts that run no NodeManager are never asked for"
                    + " strictly. Keep it no longer than weft.locality.wait: tasks stop waiting for their node by then.",
            ConfigParsers.durationMillis(0));
    public static final ConfigKey<Boolean> UBER_ENABLED = new ConfigKey<>(
            "weft.yarn.uber.enabled",
            MODULE,
            "true",
            "Run a small job's tasks inside the driver (as MapReduce's uber mode does) instead of starting executor"
                    + " containers; see weft.yarn.uber.max-tasks and weft.yarn.uber.max-input. The driver's container, in"
                    + " the drivers queue, then does that work.",
            ConfigParsers.bool());
    public static final ConfigKey<Integer> UBER_MAX_TASKS = new ConfigKey<>(
            "weft.yarn.uber.max-tasks",
            MODULE,
            "8",
            "A job runs inside the driver only if all its stages together have at most this many tasks.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<Long> UBER_MAX_INPUT = new ConfigKey<>(
            "weft.yarn.uber.max-input",
            MODULE,
            "4m",
            "A job runs inside the driver only if the files it reads total at most this many bytes (a job reading"
                    + " input of unknown size never does).",
            ConfigParsers.bytes(0, Long.MAX_VALUE));

    public static final ConfigKey<String> QUEUE = new ConfigKey<>(
            "weft.yarn.queue",
            MODULE,
            null,
            "One YARN queue for both the driver and the executors (one application), e.g. default on a stock cluster"
                    + " without the drivers/executors layout; weft.yarn.driver.queue or weft.yarn.executor.queue, when"
                    + " set, still win for their side.",
            ConfigParsers.nonEmpty());
    public static final ConfigKey<Long> DRIVER_MEMORY_OVERHEAD = new ConfigKey<>(
            "weft.driver.memory-overhead",
            MODULE,
            null,
            "Memory of the driver container beyond its heap (metaspace, threads, direct buffers); default 10% of"
                    + " weft.driver.memory, at least 384 MiB.",
            ConfigParsers.mebibytes(0));
    public static final ConfigKey<Long> EXECUTOR_MEMORY_OVERHEAD = new ConfigKey<>(
            "weft.executor.memory-overhead",
            MODULE,
            null,
            "Memory of each executor container beyond its heap (metaspace, threads, direct buffers, native libraries);"
                    + " default 10% of weft.executor.memory, at least 384 MiB. Raise it when YARN kills executors for"
                    + " their physical memory.",
            ConfigParsers.mebibytes(0));
    public static final ConfigKey<List<String>> DRIVER_JAVA_OPTIONS = new ConfigKey<>(
            "weft.driver.extra-java-options",
            MODULE,
            "",
            "More JVM options for the driver, e.g. -XX:+UseG1GC -Dkey=value (the heap comes from weft.driver.memory).",
            LaunchParsers.javaOptions());
    public static final ConfigKey<Boolean> CLIENT_FOLLOW = new ConfigKey<>(
            "weft.client.follow",
            MODULE,
            "false",
            "The yarn jar client also prints the driver's log lines (prefixed 'driver| ') as the driver writes them,"
                    + " read through the tracking link.",
            ConfigParsers.bool());
    public static final ConfigKey<String> DRIVER_LOG_LEVEL = new ConfigKey<>(
            "weft.driver.log-level",
            MODULE,
            "INFO",
            "Level of the driver's log (driver.log in its container's log directory). A whole log4j2 file of your own"
                    + " replaces Weft's with -Dlog4j2.configurationFile=<file> in weft.driver.extra-java-options.",
            ConfigParsers.oneOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR"));
    public static final ConfigKey<String> EXECUTOR_LOG_LEVEL = new ConfigKey<>(
            "weft.executor.log-level",
            MODULE,
            "INFO",
            "Level of every executor's log (executor.log in its container's log directory). A whole log4j2 file of"
                    + " your own replaces Weft's with -Dlog4j2.configurationFile=<file> in"
                    + " weft.executor.extra-java-options.",
            ConfigParsers.oneOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR"));
    public static final ConfigKey<List<String>> EXECUTOR_JAVA_OPTIONS = new ConfigKey<>(
            "weft.executor.extra-java-options",
            MODULE,
            "",
            "More JVM options for each executor (the heap comes from weft.executor.memory).",
            LaunchParsers.javaOptions());
    public static final ConfigKey<java.util.Map<String, String>> DRIVER_ENV = new ConfigKey<>(
            "weft.driver.env",
            MODULE,
            "",
            "Environment variables of the driver container, NAME=value,NAME=value (as mapreduce.map.env).",
            LaunchParsers.environment());
    public static final ConfigKey<java.util.Map<String, String>> EXECUTOR_ENV = new ConfigKey<>(
            "weft.executor.env",
            MODULE,
            "",
            "Environment variables of each executor container, NAME=value,NAME=value.",
            LaunchParsers.environment());
    public static final ConfigKey<String> DRIVER_NODE_LABEL = new ConfigKey<>(
            "weft.yarn.driver.node-label-expression",
            MODULE,
            null,
            "YARN node label expression for the driver's container; the client refuses a label the cluster does not"
                    + " have.",
            ConfigParsers.nonEmpty());
    public static final ConfigKey<String> EXECUTOR_NODE_LABEL = new ConfigKey<>(
            "weft.yarn.executor.node-label-expression",
            MODULE,
            null,
            "YARN node label expression for the executors' containers; the client refuses a label the cluster does not"
                    + " have.",
            ConfigParsers.nonEmpty());
    public static final ConfigKey<java.util.Set<String>> TAGS = new ConfigKey<>(
            "weft.yarn.tags",
            MODULE,
            "",
            "Application tags for both applications (comma-separated; YARN lower-cases them), e.g. for yarn"
                    + " application -list -appTags.",
            LaunchParsers.tags());
    public static final ConfigKey<Integer> PRIORITY = new ConfigKey<>(
            "weft.yarn.priority",
            MODULE,
            "0",
            "YARN application priority of both applications (higher runs first within a queue that orders by"
                    + " priority; capped by the queue's and the user's maximum).",
            ConfigParsers.intAtLeast(0));
    public static final ConfigKey<Integer> DRIVER_MAX_ATTEMPTS = new ConfigKey<>(
            "weft.yarn.driver.max-attempts",
            MODULE,
            "1",
            "Attempts YARN makes at the driver application (capped by yarn.resourcemanager.am.max-attempts); YARN"
                    + " starts another when the driver's container dies, not when the program fails. A new attempt"
                    + " runs the program's main again and takes each shuffle an earlier attempt completed from that"
                    + " attempt's journal (in the staging directory) instead of computing it again.",
            ConfigParsers.intAtLeast(1));
    public static final ConfigKey<String> ACCESS_FILE_SYSTEMS = new ConfigKey<>(
            "weft.yarn.access.hadoop-file-systems",
            MODULE,
            "",
            "Comma-separated file systems (URIs such as hdfs://other-nn:8020) the job reads or writes besides"
                    + " fs.defaultFS: on a Kerberized cluster the client obtains a delegation token for each, with the"
                    + " ResourceManager as renewer, and every container gets them.",
            ConfigParsers.text());
    public static final ConfigKey<String> PRINCIPAL = new ConfigKey<>(
            "weft.yarn.principal",
            MODULE,
            null,
            "Kerberos principal to submit as, with weft.yarn.keytab. The driver then logs in from the keytab too and"
                    + " obtains fresh delegation tokens before the old ones expire, so a job may outlive them.",
            ConfigParsers.text());
    public static final ConfigKey<String> KEYTAB = new ConfigKey<>(
            "weft.yarn.keytab",
            MODULE,
            null,
            "Keytab of weft.yarn.principal on the submitting host; shipped to the driver's container only, readable"
                    + " by the job's user only.",
            ConfigParsers.text());

    public static final List<ConfigKey<?>> KEYS = List.of(
            CLIENT_FOLLOW,
            DRIVER_LOG_LEVEL,
            EXECUTOR_LOG_LEVEL,
            DRIVER_QUEUE,
            EXECUTOR_QUEUE,
            DRIVER_MEMORY,
            DRIVER_CORES,
            EXECUTOR_MEMORY,
            EXECUTOR_CORES,
            EXECUTOR_INSTANCES,
            STAGING_DIR,
            EXECUTOR_APP_LEASE,
            EXECUTOR_APP_MAX_ATTEMPTS,
            EXECUTOR_APP_ALLOCATE_TIMEOUT,
            MIN_REGISTERED_RATIO,
            MAX_REGISTERED_WAIT,
            EXECUTOR_IDLE_TIMEOUT,
            DYNAMIC_ENABLED,
            DYNAMIC_MIN_EXECUTORS,
            DYNAMIC_MAX_EXECUTORS,
            DYNAMIC_BACKLOG_TIMEOUT,
            PREEMPTION_REASK_DELAY,
            STRICT_PLACEMENT_WAIT,
            UBER_ENABLED,
            UBER_MAX_TASKS,
            UBER_MAX_INPUT,
            QUEUE,
            DRIVER_MEMORY_OVERHEAD,
            EXECUTOR_MEMORY_OVERHEAD,
            DRIVER_JAVA_OPTIONS,
            EXECUTOR_JAVA_OPTIONS,
            DRIVER_ENV,
            EXECUTOR_ENV,
            DRIVER_NODE_LABEL,
            EXECUTOR_NODE_LABEL,
            TAGS,
            PRIORITY,
            DRIVER_MAX_ATTEMPTS,
            ACCESS_FILE_SYSTEMS,
            PRINCIPAL,
            KEYTAB);

    /** The driver's queue: {@link #DRIVER_QUEUE} when set, else {@link #QUEUE} when set, else the default. */
    static String driverQueue(WeftConf conf) {
        return queue(conf, DRIVER_QUEUE);
    }

    /** The executors' queue: {@link #EXECUTOR_QUEUE} when set, else {@link #QUEUE} when set, else the default. */
    static String executorQueue(WeftConf conf) {
        return queue(conf, EXECUTOR_QUEUE);
    }

    private static String queue(WeftConf conf, ConfigKey<String> side) {
        if (conf.asMap().containsKey(side.name()) || conf.get(QUEUE) == null) {
            return conf.get(side);
        }
        return conf.get(QUEUE);
    }

    /** {@link #ACCESS_FILE_SYSTEMS} as URIs; a malformed one fails naming the key. */
    static List<java.net.URI> accessFileSystems(WeftConf conf) {
        List<java.net.URI> out = new java.util.ArrayList<>();
        for (String s : conf.get(ACCESS_FILE_SYSTEMS).split(",")) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            java.net.URI uri;
            try {
                uri = new java.net.URI(t);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(ACCESS_FILE_SYSTEMS.name() + ": not a URI: " + t, e);
            }
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException(
                        ACCESS_FILE_SYSTEMS.name() + ": " + t + " names no scheme (e.g. hdfs://namenode:8020)");
            }
            out.add(uri);
        }
        return out;
    }

    /** {@link #EXECUTOR_APP_LEASE} in the whole seconds a YARN application lifetime takes, rounded up. */
    static int executorAppLeaseSeconds(WeftConf conf) {
        return (int) Math.min(Integer.MAX_VALUE, (conf.get(EXECUTOR_APP_LEASE) + 999) / 1000);
    }

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return KEYS;
    }
}
