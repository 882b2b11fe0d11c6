package dev.weft.executor.rpc;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigParser;
import dev.weft.conf.ConfigParsers;
import dev.weft.executor.ExecutorConfigKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the driver-executor protocol, one key each. The driver reads them from the application's
 * configuration; executors get them as {@code --conf key=value} arguments (see {@code ExecutorMain}), except
 * the heartbeat interval, which the driver sends at registration so both sides always agree on it.
 *
 * @param maxFrameBytes     largest frame either side accepts or sends (task bytes and results travel in one frame)
 * @param authTimeout       how long the driver waits for a new connection to authenticate before closing it
 * @param askTimeout        how long an executor waits for the driver to answer a request
 * @param heartbeatInterval how often executors report
 * @param heartbeatTimeout  silence after which the driver declares an executor lost
 * @param integrity         the driver accepts sealed connections only; an executor seals its connection
 */
public record RpcConfig(
        int maxFrameBytes,
        Duration authTimeout,
        Duration askTimeout,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        boolean integrity) {

    private static final String MODULE = ExecutorConfigKeys.MODULE;

    public static final ConfigKey<Long> MAX_FRAME_BYTES = new ConfigKey<>(
            "weft.rpc.max-frame-bytes",
            MODULE,
            "64m",
            "Largest driver-executor frame; a task or result above it fails instead of being sent.",
            // Below 1 KiB not even a small task fits; the upper bound keeps length + frame within an int.
            ConfigParsers.bytes(1024, Integer.MAX_VALUE - 8));
    public static final ConfigKey<Long> AUTH_TIMEOUT = new ConfigKey<>(
            "weft.rpc.auth-timeout",
            MODULE,
            "30s",
            "Time a new connection has to authenticate before the driver closes it.",
            ConfigParsers.durationMillis(1));
    public static final ConfigKey<Long> ASK_TIMEOUT = new ConfigKey<>(
            "weft.rpc.ask-timeout",
            MODULE,
            "120s",
            "Time an executor waits for the driver to answer a map-status or broadcast request.",
            ConfigParsers.durationMillis(1));
    public static final ConfigKey<Long> HEARTBEAT_INTERVAL = new ConfigKey<>(
            "weft.executor.heartbeat-interval",
            MODULE,
            "10s",
            "How often executors send heartbeats.",
            ConfigParsers.durationMillis(1));
    public static final ConfigKey<Long> HEARTBEAT_TIMEOUT = new ConfigKey<>(
            "weft.executor.heartbeat-timeout",
            MODULE,
            null,
            "Silence after which the driver declares an executor lost and re-runs its tasks; default: 3 x"
                    + " weft.executor.heartbeat-interval.",
            ConfigParsers.durationMillis(1));

    public static final ConfigKey<Boolean> INTEGRITY = new ConfigKey<>(
            "weft.rpc.integrity",
            MODULE,
            null,
            "Seal the driver-executor connections (AES-GCM records keyed from the handshake: integrity and"
                    + " confidentiality of tasks and results); the driver then refuses executors that do not. Default:"
                    + " on if and only if hadoop.security.authentication is kerberos.",
            ConfigParsers.bool());

    public static final List<ConfigKey<?>> KEYS =
            List.of(MAX_FRAME_BYTES, AUTH_TIMEOUT, ASK_TIMEOUT, HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT, INTEGRITY);

    public RpcConfig {
        Objects.requireNonNull(authTimeout, "authTimeout is null");
        Objects.requireNonNull(askTimeout, "askTimeout is null");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval is null");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout is null");
        // Below 1 KiB not even a small task fits; the upper bound keeps length + frame within an int.
        if (maxFrameBytes < 1024 || maxFrameBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(MAX_FRAME_BYTES.name() + " must be in [1k, 2g): " + maxFrameBytes);
        }
        requirePositive(authTimeout, AUTH_TIMEOUT);
        requirePositive(askTimeout, ASK_TIMEOUT);
        requirePositive(heartbeatInterval, HEARTBEAT_INTERVAL);
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException(
                    HEARTBEAT_TIMEOUT.name() + " (" + heartbeatTimeout.toMillis() + " ms) must be longer than "
                            + HEARTBEAT_INTERVAL.name() + " (" + heartbeatInterval.toMillis() + " ms)");
        }
    }

    public static RpcConfig defaults() {
        return fromMap(Map.of());
    }

    /** {@link #fromMap(Map, boolean)} with integrity off unless {@code conf} turns it on. */
    public static RpcConfig fromMap(Map<String, String> conf) {
        return fromMap(conf, false);
    }

    /**
     * Reads the keys above from {@code conf}; other keys are ignored (they belong to other modules). Where
     * {@link #INTEGRITY} is not set it follows {@code secureCluster} (whether the cluster authenticates with Kerberos).
     *
     * @throws IllegalArgumentException naming the key whose value is malformed or out of range
     */
    public static RpcConfig fromMap(Map<String, String> conf, boolean secureCluster) {
        long maxFrame = parse(conf, MAX_FRAME_BYTES);
        Duration interval = Duration.ofMillis(parse(conf, HEARTBEAT_INTERVAL));
        Duration timeout = conf.containsKey(HEARTBEAT_TIMEOUT.name())
                ? Duration.ofMillis(parse(conf, HEARTBEAT_TIMEOUT))
                : interval.multipliedBy(3);
        return new RpcConfig(
                (int) maxFrame,
                Duration.ofMillis(parse(conf, AUTH_TIMEOUT)),
                Duration.ofMillis(parse(conf, ASK_TIMEOUT)),
                interval,
                timeout,
                conf.containsKey(INTEGRITY.name()) ? INTEGRITY.parse(conf.get(INTEGRITY.name())) : secureCluster);
    }

    /** The same settings as {@code key=value} strings, for an executor's {@code --conf} arguments. */
    public Map<String, String> toMap() {
        return Map.of(
                INTEGRITY.name(),
                Boolean.toString(integrity),
                MAX_FRAME_BYTES.name(),
                Integer.toString(maxFrameBytes),
                AUTH_TIMEOUT.name(),
                authTimeout.toMillis() + "ms",
                ASK_TIMEOUT.name(),
                askTimeout.toMillis() + "ms",
                HEARTBEAT_INTERVAL.name(),
                heartbeatInterval.toMillis() + "ms",
                HEARTBEAT_TIMEOUT.name(),
                heartbeatTimeout.toMillis() + "ms");
    }

    private static long parse(Map<String, String> conf, ConfigKey<Long> key) {
        return key.parse(conf.getOrDefault(key.name(), key.defaultValue()));
    }

    private static void requirePositive(Duration d, ConfigKey<?> key) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key.name() + " must be positive: " + d);
        }
    }

    /** Sizes like {@code 4096}, {@code 512k}, {@code 64m}, {@code 2g}, {@code 1t} (binary units); positive. */
    public static long parseSize(String s) {
        return POSITIVE_SIZE.parse(s);
    }

    private static final ConfigParser<Long> POSITIVE_SIZE = ConfigParsers.bytes(1, Long.MAX_VALUE);
}
