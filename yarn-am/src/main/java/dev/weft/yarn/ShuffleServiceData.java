package dev.weft.yarn;

import dev.weft.shuffle.format.ShuffleServiceMetadata;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's side of the NodeManager shuffle service contract: the service name, the per-application
 * secret handed to it in each executor container's service data, and the service's port read back from
 * the container start response's metadata. Stateless.
 */
final class ShuffleServiceData {
    static final String SERVICE = "weft_shuffle";

    private ShuffleServiceData() {}

    /** Whether the cluster's NodeManagers run the service (naming an absent service fails container starts). */
    static boolean configured(Configuration conf) {
        return conf.getStringCollection("yarn.nodemanager.aux-services").contains(SERVICE);
    }

    static Map<String, ByteBuffer> forContainer(byte[] secret) {
        return Map.of(SERVICE, ByteBuffer.wrap(secret.clone()));
    }

    /** The service's port on the container's node, or -1 when the response carries no (valid) metadata. */
    static int port(Map<String, ByteBuffer> meta) {
        ByteBuffer b = meta == null ? null : meta.get(SERVICE);
        if (b == null) {
            return -1;
        }
        try {
            int port = ShuffleServiceMetadata.decode(b).port();
            return port > 0 ? port : -1; // 0: the service failed to start on that node
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
