package dev.weft.executor;

import dev.weft.executor.rpc.RpcConfig;
import dev.weft.executor.shuffle.ShuffleFetchConfig;
import dev.weft.transport.TransportConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The executor's command-line arguments, parsed and validated; see {@link ExecutorMain} for the list.
 *
 * @param appId                       the YARN application id, for log lines; null when not given
 * @param shufflePort                 port of the shuffle service that serves this executor's output; -1 for none
 * @param conf                        {@code --conf key=value} pairs (the {@link RpcConfig} and
 *                                    {@link ShuffleFetchConfig} keys)
 * @param blockProviderFactoryClass   class name of a {@code ShuffleBlockProviderFactory}; null for the default
 */
public record ExecutorArgs(
        String driverHost,
        int driverPort,
        String executorId,
        int cores,
        long memoryBudget,
        String appId,
        int shufflePort,
        Map<String, String> conf,
        String blockProviderFactoryClass) {
    public ExecutorArgs {
        Objects.requireNonNull(driverHost, "driverHost is null");
        Objects.requireNonNull(executorId, "executorId is null");
        conf = Map.copyOf(conf);
        if (driverPort < 1 || driverPort > 65535) {
            throw new IllegalArgumentException("--driver: port out of range: " + driverPort);
        }
        if (cores <= 0) {
            throw new IllegalArgumentException("--cores must be > 0: " + cores);
        }
        if (memoryBudget <= 0) {
            throw new IllegalArgumentException("--memory-budget must be > 0: " + memoryBudget);
        }
        if (shufflePort < -1 || shufflePort > 65535) {
            throw new IllegalArgumentException("--shuffle-port out of range: " + shufflePort);
        }
    }

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException whose message names the offending argument
     */
    public static ExecutorArgs parse(String[] args) {
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!OPTIONS.containsKey(name)) {
                throw new IllegalArgumentException(
                        "unknown argument '" + name + "'; expected one of " + OPTIONS.keySet());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            if (name.equals("--conf")) {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--conf expects key=value, got '" + value + "'");
                }
                conf.put(value.substring(0, eq), value.substring(eq + 1));
            } else if (single.put(name, value) != null) {
                throw new IllegalArgumentException(name + " given twice");
            }
        }
        for (String required : new String[] {"--driver", "--executor-id", "--cores", "--memory-budget"}) {
            if (!single.containsKey(required)) {
                throw new IllegalArgumentException("missing required argument " + required);
            }
        }
        String driver = single.get("--driver");
        int colon = driver.lastIndexOf(':');
        if (colon <= 0 || colon == driver.length() - 1) {
            throw new IllegalArgumentException("--driver expects host:port, got '" + driver + "'");
        }
        String executorId = single.get("--executor-id");
        if (!executorId.matches("[A-Za-z0-9._-]+")) {
            // It names this executor's tmp directory, so it must be a plain path component.
            throw new IllegalArgumentException(
                    "--executor-id must consist of letters, digits, '.', '_' and '-', got '" + executorId + "'");
        }
        long budget;
        try {
            budget = RpcConfig.parseSize(single.get("--memory-budget"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--memory-budget: " + e.getMessage(), e);
        }
        try {
            // Validate now so that a bad value names its key before anything starts.
            RpcConfig.fromMap(conf);
            ShuffleFetchConfig.fromMap(conf);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--conf " + e.getMessage(), e);
        }
        return new ExecutorArgs(
                driver.substring(0, colon),
                intArg("--driver", driver.substring(colon + 1)),
                executorId,
                intArg("--cores", single.get("--cores")),
                budget,
                single.get("--app-id"),
                single.containsKey("--shuffle-port") ? intArg("--shuffle-port", single.get("--shuffle-port")) : -1,
                conf,
                single.get("--shuffle-block-provider-factory"));
    }

    /**
     * These arguments over the job's settings: every {@code weft.*} entry of {@code job} (the job configuration the
     * container localized) that no {@code --conf} argument sets.
     *
     * @throws IllegalArgumentException naming the key when a job setting is malformed
     */
    public ExecutorArgs withJobSettings(Iterable<Map.Entry<String, String>> job) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : job) {
            if (e.getKey().startsWith("weft.")) {
                merged.put(e.getKey(), e.getValue());
            }
        }
        merged.putAll(conf);
        try {
            RpcConfig.fromMap(merged);
            ShuffleFetchConfig.fromMap(merged);
            if (merged.containsKey(TransportConfig.INTEGRITY)) {
                TransportConfig.fromMap(Map.of(TransportConfig.INTEGRITY, merged.get(TransportConfig.INTEGRITY)));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the job configuration: " + e.getMessage(), e);
        }
        return new ExecutorArgs(
                driverHost,
                driverPort,
                executorId,
                cores,
                memoryBudget,
                appId,
                shufflePort,
                merged,
                blockProviderFactoryClass);
    }

    /** @param secureCluster whether the cluster authenticates with Kerberos: the default of {@link RpcConfig#INTEGRITY} */
    public RpcConfig rpcConfig(boolean secureCluster) {
        return RpcConfig.fromMap(conf, secureCluster);
    }

    /**
     * Whether this executor seals its shuffle fetches: {@value TransportConfig#INTEGRITY} where the job sets it, else
     * {@code secureCluster}.
     *
     * @throws IllegalArgumentException naming the key when its value is not a boolean
     */
    public boolean shuffleIntegrity(boolean secureCluster) {
        String value = conf.get(TransportConfig.INTEGRITY);
        return value == null
                ? secureCluster
                : TransportConfig.fromMap(Map.of(TransportConfig.INTEGRITY, value))
                        .integrity();
    }

    public ShuffleFetchConfig shuffleFetchConfig() {
        return ShuffleFetchConfig.fromMap(conf);
    }

    private static int intArg(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects an integer, got '" + value + "'");
        }
    }

    private static final Map<String, String> OPTIONS = new java.util.TreeMap<>(Map.of(
            "--driver", "host:port of the driver endpoint",
            "--executor-id", "this executor's id, unique in the application",
            "--cores", "task threads",
            "--memory-budget", "bytes for shuffle buffers and cache, e.g. 512m",
            "--app-id", "YARN application id (optional)",
            "--shuffle-port", "port of the shuffle service for this node (optional, default -1)",
            "--conf",
                    "key=value of a weft.rpc.* / weft.executor.* / weft.shuffle.fetch.* setting (optional, repeatable)",
            "--shuffle-block-provider-factory", "class name of a ShuffleBlockProviderFactory (optional)"));
}
