package dev.weft.shuffle;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where map output lives: the executor that wrote it and the host (and, once the NodeManager shuffle
 * service serves it, that service's port; -1 while the executor itself serves it).
 */
public record BlockLocation(String executorId, String host, int port) implements Serializable {
    public BlockLocation {
        Objects.requireNonNull(executorId, "executorId is null");
        Objects.requireNonNull(host, "host is null");
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return executorId + "@" + host + (port >= 0 ? ":" + port : "");
    }
}
