package dev.weft.executor.shuffle;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigParsers;
import dev.weft.executor.ExecutorConfigKeys;
import java.util.List;
import java.util.Map;

/**
 * How a reduce task fetches remote shuffle blocks ({@link BlockFetchScheduler}). Executors read the keys from their
 * {@code --conf key=value} arguments ({@code ExecutorArgs}); the YARN launcher does not pass the application's
 * {@code weft.*} settings to executors yet, so there the defaults apply, and they are chosen to be right without
 * tuning. Immutable.
 *
 * @param maxBytesInFlight    estimated bytes of the blocks one reduce task has requested and not yet handed to its
 *                            reader (on the wire or fetched and waiting); a block larger than this is fetched alone
 * @param maxRequestsPerServer fetch requests one reduce task keeps outstanding to one shuffle server
 */
public record ShuffleFetchConfig(long maxBytesInFlight, int maxRequestsPerServer) {
    private static final String MODULE = ExecutorConfigKeys.MODULE;

    public static final ConfigKey<Long> MAX_BYTES_IN_FLIGHT = new ConfigKey<>(
            "weft.shuffle.fetch.max-bytes-in-flight",
            MODULE,
            "48m",
            "Bytes of remote shuffle blocks one reduce task may have requested and not yet read (on the wire or"
                    + " fetched and waiting); like spark.reducer.maxSizeInFlight. A larger block is fetched alone."
                    + " Executors read it from --conf; the YARN launcher does not pass it yet, so there the default"
                    + " applies.",
            ConfigParsers.bytes(1, Long.MAX_VALUE));
    public static final ConfigKey<Integer> MAX_REQUESTS_PER_SERVER = new ConfigKey<>(
            "weft.shuffle.fetch.max-requests-per-server",
            MODULE,
            "8",
            "Block requests one reduce task keeps outstanding to one shuffle server (requests share the executor's"
                    + " one connection to that server; keep tasks x this below"
                    + " weft.shuffle.transport.max-streams-per-connection, or the server answers BUSY). Executors read"
                    + " it from --conf; the YARN launcher does not pass it yet, so there the default applies.",
            ConfigParsers.intAtLeast(1));

    public static final List<ConfigKey<?>> KEYS = List.of(MAX_BYTES_IN_FLIGHT, MAX_REQUESTS_PER_SERVER);

    public ShuffleFetchConfig {
        if (maxBytesInFlight < 1) {
            throw new IllegalArgumentException(MAX_BYTES_IN_FLIGHT.name() + " must be >= 1: " + maxBytesInFlight);
        }
        if (maxRequestsPerServer < 1) {
            throw new IllegalArgumentException(
                    MAX_REQUESTS_PER_SERVER.name() + " must be >= 1: " + maxRequestsPerServer);
        }
    }

    public static ShuffleFetchConfig defaults() {
        return fromMap(Map.of());
    }

    /**
     * Reads the keys above from {@code conf}; other keys are ignored (they belong to other modules).
     *
     * @throws IllegalArgumentException naming the key whose value is malformed or out of range
     */
    public static ShuffleFetchConfig fromMap(Map<String, String> conf) {
        return new ShuffleFetchConfig(parse(conf, MAX_BYTES_IN_FLIGHT), parse(conf, MAX_REQUESTS_PER_SERVER));
    }

    private static <T> T parse(Map<String, String> conf, ConfigKey<T> key) {
        return key.parse(conf.getOrDefault(key.name(), key.defaultValue()));
    }
}
