package dev.weft.shuffle.yarn;

import static java.util.Objects.requireNonNull;

import dev.weft.transport.TransportConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Settings of the NodeManager shuffle service, read from the NodeManager's {@link Configuration} (yarn-site.xml).
 * The transport's own keys ({@code weft.shuffle.transport.*}, see {@link TransportConfig}) are read from the same
 * configuration. Every error names the offending key. {@value TransportConfig#INTEGRITY} defaults to on when the
 * cluster is secure ({@code hadoop.security.authentication=kerberos}): there the service refuses unsealed connections.
 * Immutable.
 *
 * @param port TCP port to listen on; 0 picks a free one (tests only: executors learn the port from the container
 *     start response, but a fixed port survives NodeManager restarts)
 * @param bindHost address to bind; the default binds every interface
 * @param transport the block server's limits and thread counts
 */
public record ShuffleServiceConfig(int port, String bindHost, TransportConfig transport) {
    /** TCP port of the service; default {@value #DEFAULT_PORT}, 0 = ephemeral. */
    public static final String PORT = "weft.shuffle.service.port";

    public static final int DEFAULT_PORT = 7447;
    /** Address the service binds; default {@value #DEFAULT_BIND_HOST} (all interfaces). */
    public static final String BIND_HOST = "weft.shuffle.service.bind-host";

    public static final String DEFAULT_BIND_HOST = "0.0.0.0";

    public ShuffleServiceConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid value for " + PORT + ": " + port + " (expected 0-65535)");
        }
        requireNonNull(bindHost, "bindHost is null");
        if (bindHost.isBlank()) {
            throw new IllegalArgumentException("invalid value for " + BIND_HOST + ": empty");
        }
        requireNonNull(transport, "transport is null");
    }

    public static ShuffleServiceConfig defaults() {
        return new ShuffleServiceConfig(DEFAULT_PORT, DEFAULT_BIND_HOST, TransportConfig.defaults());
    }

    /**
     * Reads every key from {@code conf}, using defaults for missing ones.
     *
     * @throws IllegalArgumentException naming the key whose value is invalid (or unknown, under the transport prefix)
     */
    public static ShuffleServiceConfig from(Configuration conf) {
        String portValue = conf.getTrimmed(PORT, Integer.toString(DEFAULT_PORT));
        int port;
        try {
            port = Integer.parseInt(portValue);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value for " + PORT + ": '" + portValue + "'", e);
        }
        String bindHost = conf.getTrimmed(BIND_HOST, DEFAULT_BIND_HOST);
        return new ShuffleServiceConfig(port, bindHost, TransportConfig.fromMap(transportProperties(conf)));
    }

    private static Map<String, String> transportProperties(Configuration conf) {
        Map<String, String> properties = new HashMap<>();
        // getPropsWithPrefix strips the prefix and resolves ${var} references; put it back for TransportConfig's keys.
        conf.getPropsWithPrefix(TransportConfig.PREFIX)
                .forEach((suffix, value) -> properties.put(TransportConfig.PREFIX + suffix, value));
        properties.putIfAbsent(TransportConfig.INTEGRITY, Boolean.toString(secure(conf)));
        return properties;
    }

    /** The cluster authenticates with Kerberos (read from the key, not from UGI's process-wide state). */
    private static boolean secure(Configuration conf) {
        return "kerberos".equalsIgnoreCase(conf.getTrimmed("hadoop.security.authentication", "simple"));
    }
}
