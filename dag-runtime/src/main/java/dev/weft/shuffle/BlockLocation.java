package dev.weft.shuffle;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where map output lives: the executor that wrote it and the host (and, once the NodeManager shuffle
 * service serves it, that service's port; -1 while the executor itself serves it).
 *
 * @param appId the YARN application the output belongs to, which a reader names when it connects to a NodeManager's
 *              service (the service keeps each application's files apart and authenticates per application); empty
 *              for the reader's own application. Set for output a restarted driver recovered from an earlier
 *              attempt's executor application.
 */
public record BlockLocation(String executorId, String host, int port, String appId) implements Serializable {
    public BlockLocation {
        Objects.requireNonNull(executorId, "executorId is null");
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(appId, "appId is null");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Output of the reader's own application. */
    public BlockLocation(String executorId, String host, int port) {
        this(executorId, host, port, "");
    }

    /** The same place, as output of application {@code owner}. */
    public BlockLocation ownedBy(String owner) {
        return new BlockLocation(executorId, host, port, owner);
    }

    @Override
    public String toString() {
        return executorId + "@" + host + (port >= 0 ? ":" + port : "") + (appId.isEmpty() ? "" : " of " + appId);
    }
}
