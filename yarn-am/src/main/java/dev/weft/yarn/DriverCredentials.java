package dev.weft.yarn;

import dev.weft.yarn.security.CredentialRenewer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of token renewal: when the client shipped a principal and its keytab ({@link SubmitSecurity}),
 * a {@link CredentialRenewer} keeps the job's file system tokens fresh, and every new set goes to the executors
 * through {@link #sendTo} (the driver endpoint, once the backend has one; the latest set is kept for it until then).
 * Executors launched later get the driver's current tokens in their launch context ({@link ContainerLauncher}).
 *
 * <p>Thread-safe: the renewer's thread publishes, the backend's thread subscribes.
 */
final class DriverCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(DriverCredentials.class);
    private static final Object LOCK = new Object();
    private static Consumer<byte[]> sink;
    private static byte[] latest;

    private DriverCredentials() {}

    /** Starts renewal if the driver's environment names a principal and its keytab was localized; else nothing. */
    static void startIfConfigured(Configuration conf, Map<String, String> env) {
        String principal = env.get(SubmitSecurity.PRINCIPAL_ENV);
        if (principal == null || !UserGroupInformation.isSecurityEnabled()) {
            return;
        }
        Path keytab = Path.of(SubmitSecurity.KEYTAB_LINK).toAbsolutePath();
        if (!Files.isReadable(keytab)) {
            LOG.error("{} is set but the keytab {} was not localized: tokens will not be renewed", principal, keytab);
            return;
        }
        List<URI> fileSystems = new ArrayList<>();
        String listed = env.getOrDefault(SubmitSecurity.ACCESS_FS_ENV, "");
        for (String s : listed.split(",")) {
            if (!s.isBlank()) {
                fileSystems.add(URI.create(s.trim()));
            }
        }
        try {
            CredentialRenewer renewer =
                    new CredentialRenewer(conf, principal, keytab.toString(), fileSystems, DriverCredentials::publish);
            renewer.start();
            DriverMain.onAbnormalShutdown(renewer::close);
        } catch (Exception e) {
            LOG.error("cannot start renewing delegation tokens as {}: {}", principal, e.toString());
        }
    }

    /** Fresh tokens: to the executors now, or when {@link #sendTo} connects them. */
    static void publish(ByteBuffer tokens) {
        if (tokens == null) {
            return;
        }
        byte[] bytes = new byte[tokens.remaining()];
        tokens.duplicate().get(bytes);
        Consumer<byte[]> target;
        synchronized (LOCK) {
            latest = bytes;
            target = sink;
        }
        if (target != null) {
            target.accept(bytes);
        }
    }

    /** From now on fresh tokens go to {@code target} (the driver endpoint); it gets the latest ones at once. */
    static void sendTo(Consumer<byte[]> target) {
        byte[] now;
        synchronized (LOCK) {
            sink = target;
            now = latest;
        }
        if (now != null) {
            target.accept(now);
        }
    }
}
