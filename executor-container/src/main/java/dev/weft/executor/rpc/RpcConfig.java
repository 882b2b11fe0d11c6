package dev.weft.executor.rpc;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

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
 */
public record RpcConfig(
        int maxFrameBytes,
        Duration authTimeout,
        Duration askTimeout,
        Duration heartbeatInterval,
        Duration heartbeatTimeout) {

    /** One key: name, documentation and default (null: derived from other keys). */
    public record Key(String name, String doc, String defaultValue) {}

    public static final Key MAX_FRAME_BYTES = new Key(
            "weft.rpc.maxFrameBytes",
            "Largest driver-executor frame in bytes (e.g. 64m); a task or result above it fails instead of being sent.",
            "64m");
    public static final Key AUTH_TIMEOUT = new Key(
            "weft.rpc.authTimeout",
            "Time a new connection has to authenticate before the driver closes it (e.g. 30s).",
            "30s");
    public static final Key ASK_TIMEOUT = new Key(
            "weft.rpc.askTimeout",
            "Time an executor waits for the driver to answer a map-status or broadcast request.",
            "120s");
    public static final Key HEARTBEAT_INTERVAL =
            new Key("weft.executor.heartbeatInterval", "How often executors send heartbeats.", "10s");
    public static final Key HEARTBEAT_TIMEOUT = new Key(
            "weft.executor.heartbeatTimeout",
            "Silence after which the driver declares an executor lost; default: 3 x the heartbeat interval.",
            null);

    public static final List<Key> KEYS =
            List.of(MAX_FRAME_BYTES, AUTH_TIMEOUT, ASK_TIMEOUT, HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT);

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

    /**
     * Reads the keys above from {@code conf}; other keys are ignored (they belong to other modules).
     *
     * @throws IllegalArgumentException naming the key whose value is malformed or out of range
     */
    public static RpcConfig fromMap(Map<String, String> conf) {
        int maxFrame = parse(conf, MAX_FRAME_BYTES, RpcConfig::parseBytes);
        Duration interval = parse(conf, HEARTBEAT_INTERVAL, RpcConfig::parseDuration);
        Duration timeout = conf.containsKey(HEARTBEAT_TIMEOUT.name())
                ? parse(conf, HEARTBEAT_TIMEOUT, RpcConfig::parseDuration)
                : interval.multipliedBy(3);
        return new RpcConfig(
                maxFrame,
                parse(conf, AUTH_TIMEOUT, RpcConfig::parseDuration),
                parse(conf, ASK_TIMEOUT, RpcConfig::parseDuration),
                interval,
                timeout);
    }

    /** The same settings as {@code key=value} strings, for an executor's {@code --conf} arguments. */
    public Map<String, String> toMap() {
        return Map.of(
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

    private static <T> T parse(Map<String, String> conf, Key key, Function<String, T> parser) {
        String v = conf.getOrDefault(key.name(), key.defaultValue());
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key.name() + ": " + e.getMessage(), e);
        }
    }

    private static void requirePositive(Duration d, Key key) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key.name() + " must be positive: " + d);
        }
    }

    /** Durations like {@code 250ms}, {@code 10s}, {@code 2m}; a bare number means milliseconds. */
    public static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(
                        Long.parseLong(t.substring(0, t.length() - 2).trim()));
            } else if (t.endsWith("s")) {
                return Duration.ofSeconds(
                        Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else if (t.endsWith("m")) {
                return Duration.ofMinutes(
                        Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 10s or 2m, got '" + s + "'");
        }
    }

    /** Sizes like {@code 4096}, {@code 512k}, {@code 64m}, {@code 1g} (binary units), within an int. */
    public static int parseBytes(String s) {
        long v = parseSize(s);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("expected a size below 2g, got '" + s + "'");
        }
        return (int) v;
    }

    /** Sizes like {@code 4096}, {@code 512k}, {@code 64m}, {@code 2g}, {@code 1t} (binary units); positive. */
    public static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1).trim();
        long v;
        try {
            v = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a size such as 4096, 512k, 64m or 2g, got '" + s + "'");
        }
        if (v <= 0 || v > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("expected a positive size, got '" + s + "'");
        }
        return v << shift;
    }
}
