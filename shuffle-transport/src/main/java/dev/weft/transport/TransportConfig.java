package dev.weft.transport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the block server and client. Each field has a key (docs/CONFIGURATION.md lists them; sizes take
 * k/m/g suffixes and a bare number is bytes, durations take ms/s/min/h and a bare number is milliseconds) ({@link #KEYS} lists them all, in the order of
 * {@link #toMap()}), a default and a validation; {@link #fromMap} builds one from string properties (e.g. a Hadoop
 * {@code Configuration} filtered by prefix) and names the offending key on error. Immutable.
 *
 * @param maxFrameBytes largest control frame accepted, length prefix excluded (block data is not framed)
 * @param maxStreamsPerConnection fetch requests one connection may have in flight on the server; more get BUSY
 * @param maxBytesInFlightPerConnection block bytes queued for sending on one connection; more get BUSY (a single
 *     request larger than this is still served when the connection has nothing else in flight)
 * @param maxBytesInFlightPerServer block bytes queued for sending on all connections together; likewise
 * @param maxReduceIdsPerRequest largest reduce id list in one fetch request
 * @param idleTimeout a connection with no traffic and nothing in flight for this long is closed
 * @param busyRetryAfter the retry-after hint sent with BUSY
 * @param serverIoThreads event-loop threads of a server
 * @param diskThreads threads that resolve blocks and open files for a server
 * @param diskQueueCapacity queued resolve tasks per server before requests get BUSY
 * @param clientIoThreads event-loop threads of a client factory
 * @param connectTimeout TCP connect plus authentication
 * @param fetchTimeout one fetch, from sending the request to its last byte; on expiry the connection is closed
 * @param maxBusyRetries how often a client resends a request the server answered BUSY
 * @param maxInMemoryBlockBytes largest block the client accepts (it holds each block in heap)
 * @param maxOpenFiles data files a server holds open for all requests together; more requests get BUSY
 * @param maxOpenFilesPerApp data files a server holds open for one application's requests; more get BUSY
 * @param authTimeout a connection that has not authenticated this long after it opened is closed
 * @param maxUnauthenticatedConnections connections a server keeps open before they authenticate; more are closed
 * @param maxUnauthenticatedPerAddress the same, per remote address
 * @param stallTimeout a connection whose peer has not taken a request's blocks this long after they were queued is
 *     closed (its files and byte budget are released)
 * @param integrity a client seals its connections (AES-GCM records keyed from the handshake, see
 *     {@link dev.weft.transport.seal.SealedChannel}); a server refuses clients that do not. A client also seals when
 *     the server asks for it, and a server also seals when the client does.
 */
public record TransportConfig(
        int maxFrameBytes,
        int maxStreamsPerConnection,
        long maxBytesInFlightPerConnection,
        long maxBytesInFlightPerServer,
        int maxReduceIdsPerRequest,
        Duration idleTimeout,
        Duration busyRetryAfter,
        int serverIoThreads,
        int diskThreads,
        int diskQueueCapacity,
        int clientIoThreads,
        Duration connectTimeout,
        Duration fetchTimeout,
        int maxBusyRetries,
        int maxInMemoryBlockBytes,
        int maxOpenFiles,
        int maxOpenFilesPerApp,
        Duration authTimeout,
        int maxUnauthenticatedConnections,
        int maxUnauthenticatedPerAddress,
        Duration stallTimeout,
        boolean integrity) {

    public static final String PREFIX = "weft.shuffle.transport.";
    public static final String MAX_FRAME_BYTES = PREFIX + "max-frame-bytes";
    public static final String MAX_STREAMS_PER_CONNECTION = PREFIX + "max-streams-per-connection";
    public static final String MAX_BYTES_IN_FLIGHT_PER_CONNECTION = PREFIX + "max-bytes-in-flight-per-connection";
    public static final String MAX_BYTES_IN_FLIGHT_PER_SERVER = PREFIX + "max-bytes-in-flight-per-server";
    public static final String MAX_REDUCE_IDS_PER_REQUEST = PREFIX + "max-reduce-ids-per-request";
    public static final String IDLE_TIMEOUT = PREFIX + "idle-timeout";
    public static final String BUSY_RETRY_AFTER = PREFIX + "busy-retry-after";
    public static final String SERVER_IO_THREADS = PREFIX + "server-io-threads";
    public static final String DISK_THREADS = PREFIX + "disk-threads";
    public static final String DISK_QUEUE_CAPACITY = PREFIX + "disk-queue-capacity";
    public static final String CLIENT_IO_THREADS = PREFIX + "client-io-threads";
    public static final String CONNECT_TIMEOUT = PREFIX + "connect-timeout";
    public static final String FETCH_TIMEOUT = PREFIX + "fetch-timeout";
    public static final String MAX_BUSY_RETRIES = PREFIX + "max-busy-retries";
    public static final String MAX_IN_MEMORY_BLOCK_BYTES = PREFIX + "max-in-memory-block-bytes";
    public static final String MAX_OPEN_FILES = PREFIX + "max-open-files";
    public static final String MAX_OPEN_FILES_PER_APP = PREFIX + "max-open-files-per-app";
    public static final String AUTH_TIMEOUT = PREFIX + "auth-timeout";
    public static final String MAX_UNAUTHENTICATED_CONNECTIONS = PREFIX + "max-unauthenticated-connections";
    public static final String MAX_UNAUTHENTICATED_PER_ADDRESS = PREFIX + "max-unauthenticated-per-address";
    public static final String STALL_TIMEOUT = PREFIX + "stall-timeout";
    public static final String INTEGRITY = PREFIX + "integrity";

    /** Every key, in field order. */
    public static final Set<String> KEYS = Set.copyOf(defaults().toMap().keySet());

    private static final int MIN_FRAME_BYTES = 256;
    private static final String AT_LEAST_ONE = "an integer >= 1";
    private static final String POSITIVE_SIZE = "a size >= 1 such as 512k, 64m or 2g";
    private static final String POSITIVE_DURATION = "a duration > 0 such as 500ms, 30s or 2min";

    public TransportConfig {
        check(maxFrameBytes >= MIN_FRAME_BYTES, MAX_FRAME_BYTES, maxFrameBytes, "a size in [256, 2g)");
        check(maxStreamsPerConnection >= 1, MAX_STREAMS_PER_CONNECTION, maxStreamsPerConnection, AT_LEAST_ONE);
        check(
                maxBytesInFlightPerConnection >= 1,
                MAX_BYTES_IN_FLIGHT_PER_CONNECTION,
                maxBytesInFlightPerConnection,
                POSITIVE_SIZE);
        check(maxBytesInFlightPerServer >= 1, MAX_BYTES_IN_FLIGHT_PER_SERVER, maxBytesInFlightPerServer, POSITIVE_SIZE);
        check(maxReduceIdsPerRequest >= 1, MAX_REDUCE_IDS_PER_REQUEST, maxReduceIdsPerRequest, AT_LEAST_ONE);
        check(positive(idleTimeout), IDLE_TIMEOUT, idleTimeout, POSITIVE_DURATION);
        check(positive(busyRetryAfter), BUSY_RETRY_AFTER, busyRetryAfter, POSITIVE_DURATION);
        check(serverIoThreads >= 1, SERVER_IO_THREADS, serverIoThreads, AT_LEAST_ONE);
        check(diskThreads >= 1, DISK_THREADS, diskThreads, AT_LEAST_ONE);
        check(diskQueueCapacity >= 1, DISK_QUEUE_CAPACITY, diskQueueCapacity, AT_LEAST_ONE);
        check(clientIoThreads >= 1, CLIENT_IO_THREADS, clientIoThreads, AT_LEAST_ONE);
        check(positive(connectTimeout), CONNECT_TIMEOUT, connectTimeout, POSITIVE_DURATION);
        check(positive(fetchTimeout), FETCH_TIMEOUT, fetchTimeout, POSITIVE_DURATION);
        check(maxBusyRetries >= 0, MAX_BUSY_RETRIES, maxBusyRetries, "an integer >= 0");
        check(
                maxInMemoryBlockBytes >= 0 && maxInMemoryBlockBytes <= Integer.MAX_VALUE - 16,
                MAX_IN_MEMORY_BLOCK_BYTES,
                maxInMemoryBlockBytes,
                "a size in [0, 2147483631]");
        check(maxOpenFiles >= 1, MAX_OPEN_FILES, maxOpenFiles, AT_LEAST_ONE);
        check(maxOpenFilesPerApp >= 1, MAX_OPEN_FILES_PER_APP, maxOpenFilesPerApp, AT_LEAST_ONE);
        check(positive(authTimeout), AUTH_TIMEOUT, authTimeout, POSITIVE_DURATION);
        check(
                maxUnauthenticatedConnections >= 1,
                MAX_UNAUTHENTICATED_CONNECTIONS,
                maxUnauthenticatedConnections,
                AT_LEAST_ONE);
        check(
                maxUnauthenticatedPerAddress >= 1,
                MAX_UNAUTHENTICATED_PER_ADDRESS,
                maxUnauthenticatedPerAddress,
                AT_LEAST_ONE);
        check(positive(stallTimeout), STALL_TIMEOUT, stallTimeout, POSITIVE_DURATION);
    }

    public static TransportConfig defaults() {
        return new TransportConfig(
                64 * 1024,
                64,
                256L << 20,
                1L << 30,
                4096,
                Duration.ofSeconds(120),
                Duration.ofMillis(200),
                2,
                4,
                1024,
                2,
                Duration.ofSeconds(10),
                Duration.ofSeconds(120),
                5,
                256 << 20,
                1024,
                256,
                Duration.ofSeconds(10),
                512,
                64,
                Duration.ofSeconds(120),
                false);
    }

    /** This configuration with {@link #integrity()} set as given. */
    public TransportConfig withIntegrity(boolean on) {
        return new TransportConfig(
                maxFrameBytes,
                maxStreamsPerConnection,
                maxBytesInFlightPerConnection,
                maxBytesInFlightPerServer,
                maxReduceIdsPerRequest,
                idleTimeout,
                busyRetryAfter,
                serverIoThreads,
                diskThreads,
                diskQueueCapacity,
                clientIoThreads,
                connectTimeout,
                fetchTimeout,
                maxBusyRetries,
                maxInMemoryBlockBytes,
                maxOpenFiles,
                maxOpenFilesPerApp,
                authTimeout,
                maxUnauthenticatedConnections,
                maxUnauthenticatedPerAddress,
                stallTimeout,
                on);
    }

    /** Defaults overridden by {@code properties}; keys outside {@link #KEYS} but under {@link #PREFIX} are rejected. */
    public static TransportConfig fromMap(Map<String, String> properties) {
        for (String key : properties.keySet()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown transport config key " + key);
            }
        }
        TransportConfig d = defaults();
        return new TransportConfig(
                intSize(properties, MAX_FRAME_BYTES, d.maxFrameBytes),
                intValue(properties, MAX_STREAMS_PER_CONNECTION, d.maxStreamsPerConnection),
                size(properties, MAX_BYTES_IN_FLIGHT_PER_CONNECTION, d.maxBytesInFlightPerConnection),
                size(properties, MAX_BYTES_IN_FLIGHT_PER_SERVER, d.maxBytesInFlightPerServer),
                intValue(properties, MAX_REDUCE_IDS_PER_REQUEST, d.maxReduceIdsPerRequest),
                duration(properties, IDLE_TIMEOUT, d.idleTimeout),
                duration(properties, BUSY_RETRY_AFTER, d.busyRetryAfter),
                intValue(properties, SERVER_IO_THREADS, d.serverIoThreads),
                intValue(properties, DISK_THREADS, d.diskThreads),
                intValue(properties, DISK_QUEUE_CAPACITY, d.diskQueueCapacity),
                intValue(properties, CLIENT_IO_THREADS, d.clientIoThreads),
                duration(properties, CONNECT_TIMEOUT, d.connectTimeout),
                duration(properties, FETCH_TIMEOUT, d.fetchTimeout),
                intValue(properties, MAX_BUSY_RETRIES, d.maxBusyRetries),
                intSize(properties, MAX_IN_MEMORY_BLOCK_BYTES, d.maxInMemoryBlockBytes),
                intValue(properties, MAX_OPEN_FILES, d.maxOpenFiles),
                intValue(properties, MAX_OPEN_FILES_PER_APP, d.maxOpenFilesPerApp),
                duration(properties, AUTH_TIMEOUT, d.authTimeout),
                intValue(properties, MAX_UNAUTHENTICATED_CONNECTIONS, d.maxUnauthenticatedConnections),
                intValue(properties, MAX_UNAUTHENTICATED_PER_ADDRESS, d.maxUnauthenticatedPerAddress),
                duration(properties, STALL_TIMEOUT, d.stallTimeout),
                bool(properties, INTEGRITY, d.integrity));
    }

    /** Every key with its value, as {@link #fromMap} reads it back (durations as bare milliseconds, sizes as bare bytes). */
    public Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(MAX_FRAME_BYTES, Integer.toString(maxFrameBytes));
        map.put(MAX_STREAMS_PER_CONNECTION, Integer.toString(maxStreamsPerConnection));
        map.put(MAX_BYTES_IN_FLIGHT_PER_CONNECTION, Long.toString(maxBytesInFlightPerConnection));
        map.put(MAX_BYTES_IN_FLIGHT_PER_SERVER, Long.toString(maxBytesInFlightPerServer));
        map.put(MAX_REDUCE_IDS_PER_REQUEST, Integer.toString(maxReduceIdsPerRequest));
        map.put(IDLE_TIMEOUT, Long.toString(idleTimeout.toMillis()));
        map.put(BUSY_RETRY_AFTER, Long.toString(busyRetryAfter.toMillis()));
        map.put(SERVER_IO_THREADS, Integer.toString(serverIoThreads));
        map.put(DISK_THREADS, Integer.toString(diskThreads));
        map.put(DISK_QUEUE_CAPACITY, Integer.toString(diskQueueCapacity));
        map.put(CLIENT_IO_THREADS, Integer.toString(clientIoThreads));
        map.put(CONNECT_TIMEOUT, Long.toString(connectTimeout.toMillis()));
        map.put(FETCH_TIMEOUT, Long.toString(fetchTimeout.toMillis()));
        map.put(MAX_BUSY_RETRIES, Integer.toString(maxBusyRetries));
        map.put(MAX_IN_MEMORY_BLOCK_BYTES, Integer.toString(maxInMemoryBlockBytes));
        map.put(MAX_OPEN_FILES, Integer.toString(maxOpenFiles));
        map.put(MAX_OPEN_FILES_PER_APP, Integer.toString(maxOpenFilesPerApp));
        map.put(AUTH_TIMEOUT, Long.toString(authTimeout.toMillis()));
        map.put(MAX_UNAUTHENTICATED_CONNECTIONS, Integer.toString(maxUnauthenticatedConnections));
        map.put(MAX_UNAUTHENTICATED_PER_ADDRESS, Integer.toString(maxUnauthenticatedPerAddress));
        map.put(STALL_TIMEOUT, Long.toString(stallTimeout.toMillis()));
        map.put(INTEGRITY, Boolean.toString(integrity));
        return map;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void check(boolean valid, String key, Object value, String accepted) {
        if (!valid) {
            throw new IllegalArgumentException(
                    "invalid value for " + key + ": " + value + " (out of range; expected " + accepted + ")");
        }
    }

    private static int intValue(Map<String, String> properties, String key, int defaultValue) {
        String value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "invalid value for " + key + ": '" + value + "' (not an integer; expected an integer)", e);
        }
    }

    private static boolean bool(Map<String, String> properties, String key, boolean defaultValue) {
        String value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        String v = value.trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(
                "invalid value for " + key + ": '" + value + "' (not a boolean; expected true or false)");
    }

    private static int intSize(Map<String, String> properties, String key, int defaultValue) {
        long value = size(properties, key, defaultValue);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid value for " + key + ": '" + properties.get(key)
                    + "' (out of range; expected a size below 2g)");
        }
        return (int) value;
    }

    private static long size(Map<String, String> properties, String key, long defaultValue) {
        String value = properties.get(key);
        return value == null ? defaultValue : Units.parseBytes(key, value);
    }

    private static Duration duration(Map<String, String> properties, String key, Duration defaultValue) {
        String value = properties.get(key);
        return value == null ? defaultValue : Duration.ofMillis(Units.parseMillis(key, value));
    }
}
