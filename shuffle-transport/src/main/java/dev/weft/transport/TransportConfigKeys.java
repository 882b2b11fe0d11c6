package dev.weft.transport;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigKeyProvider;
import dev.weft.conf.ConfigParser;
import dev.weft.conf.ConfigParsers;
import java.util.List;
import java.util.Map;

/**
 * shuffle-transport's keys ({@link TransportConfig}) for the registry of programs that have dag-runtime on their
 * classpath (drivers, executors, docs). Compiled against dag-runtime in provided scope and left out of the
 * NodeManager's shaded jar, where {@link TransportConfig} validates the same keys itself; defaults come from
 * {@link TransportConfig#defaults()} so the two cannot drift.
 */
public final class TransportConfigKeys implements ConfigKeyProvider {
    private static final String MODULE = "shuffle-transport";
    private static final Map<String, String> DEFAULTS =
            TransportConfig.defaults().toMap();

    public static final List<ConfigKey<?>> KEYS = List.of(
            key(
                    TransportConfig.MAX_FRAME_BYTES,
                    "Largest control frame a block server or client accepts (block data is not framed).",
                    ConfigParsers.bytes(256, Integer.MAX_VALUE)),
            key(
                    TransportConfig.MAX_STREAMS_PER_CONNECTION,
                    "Fetch requests one connection may have in flight on the server; more are answered BUSY.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.MAX_BYTES_IN_FLIGHT_PER_CONNECTION,
                    "Block bytes queued for sending on one connection; more are answered BUSY.",
                    ConfigParsers.bytes(1, Long.MAX_VALUE)),
            key(
                    TransportConfig.MAX_BYTES_IN_FLIGHT_PER_SERVER,
                    "Block bytes queued for sending on all connections of a server together; more are answered BUSY.",
                    ConfigParsers.bytes(1, Long.MAX_VALUE)),
            key(
                    TransportConfig.MAX_REDUCE_IDS_PER_REQUEST,
                    "Largest reduce id list in one fetch request.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.IDLE_TIMEOUT,
                    "A connection with no traffic and nothing in flight for this long is closed.",
                    ConfigParsers.durationMillis(1)),
            key(
                    TransportConfig.BUSY_RETRY_AFTER,
                    "The retry-after hint a server sends with BUSY.",
                    ConfigParsers.durationMillis(1)),
            key(
                    TransportConfig.SERVER_IO_THREADS,
                    "Event-loop threads of a block server.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.DISK_THREADS,
                    "Threads that resolve blocks and open files for a block server.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.DISK_QUEUE_CAPACITY,
                    "Queued resolve tasks per server before requests are answered BUSY.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.CLIENT_IO_THREADS,
                    "Event-loop threads of a block client factory.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.CONNECT_TIMEOUT,
                    "TCP connect plus authentication of a block client.",
                    ConfigParsers.durationMillis(1)),
            key(
                    TransportConfig.FETCH_TIMEOUT,
                    "One fetch, from sending the request to its last byte; on expiry the connection is closed.",
                    ConfigParsers.durationMillis(1)),
            key(
                    TransportConfig.MAX_BUSY_RETRIES,
                    "How often a client resends a request the server answered BUSY.",
                    ConfigParsers.intAtLeast(0)),
            key(
                    TransportConfig.MAX_IN_MEMORY_BLOCK_BYTES,
                    "Largest block a client accepts (it holds each block in heap).",
                    ConfigParsers.bytes(0, Integer.MAX_VALUE - 16)),
            key(
                    TransportConfig.MAX_OPEN_FILES,
                    "Data files a block server holds open for all requests together (one per request being sent);"
                            + " more requests are answered BUSY. In the NodeManager these descriptors are its own.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.MAX_OPEN_FILES_PER_APP,
                    "Data files a block server holds open for one application's requests; more are answered BUSY.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.AUTH_TIMEOUT,
                    "A connection that has not authenticated this long after it opened is closed, whatever it sends.",
                    ConfigParsers.durationMillis(1)),
            key(
                    TransportConfig.MAX_UNAUTHENTICATED_CONNECTIONS,
                    "Connections a block server keeps open before they authenticate; newer ones are closed at once.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.MAX_UNAUTHENTICATED_PER_ADDRESS,
                    "Connections from one remote address a block server keeps open before they authenticate.",
                    ConfigParsers.intAtLeast(1)),
            key(
                    TransportConfig.STALL_TIMEOUT,
                    "A connection whose peer has not taken a request's blocks this long after they were queued is"
                            + " closed, releasing its open files and byte budget.",
                    ConfigParsers.durationMillis(1)),
            key(
                    TransportConfig.INTEGRITY,
                    "Seal shuffle connections (AES-GCM records keyed from the handshake: integrity and"
                            + " confidentiality). On a client (executor): seal every connection. On the NodeManager's"
                            + " shuffle service: refuse clients that do not seal. Either side turning it on seals the"
                            + " connection. Where unset, the service and executors turn it on if and only if"
                            + " hadoop.security.authentication is kerberos.",
                    ConfigParsers.bool()));

    private static <T> ConfigKey<T> key(String name, String doc, ConfigParser<T> parser) {
        return new ConfigKey<>(name, MODULE, DEFAULTS.get(name), doc, parser);
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
