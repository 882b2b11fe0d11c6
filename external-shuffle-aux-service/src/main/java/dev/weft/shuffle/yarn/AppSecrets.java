package dev.weft.shuffle.yarn;

import static java.util.Objects.requireNonNull;

import dev.weft.transport.SecretStore;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The applications this NodeManager serves shuffle data for: app id → (user, secret). The block server reads secrets
 * from here to authenticate connections; the block resolver reads users to find the app's local dirs.
 *
 * <p>The service data an application's containers carry under {@code "weft_shuffle"} is the raw per-application
 * secret: {@value #MIN_SECRET_BYTES} to {@value #MAX_SECRET_BYTES} bytes, no framing. {@link #register} is
 * idempotent, because the NodeManager calls {@code initializeApplication} once per container start.
 *
 * <p>Thread-safe and non-blocking: registered from the NodeManager dispatcher thread, read from Netty event loops
 * and disk threads.
 */
public final class AppSecrets implements SecretStore {
    public static final int MIN_SECRET_BYTES = 1;
    public static final int MAX_SECRET_BYTES = 1024;

    /** One registered application. The secret array is owned by this record and never handed out for writing. */
    public record Registration(String appId, String user, byte[] secret) {
        public Registration {
            requireNonNull(appId, "appId is null");
            requireNonNull(user, "user is null");
            requireNonNull(secret, "secret is null");
            if (!AppIds.isValid(appId)) {
                throw new IllegalArgumentException("not an application id: " + appId);
            }
            if (!AppIds.isValidUser(user)) {
                throw new IllegalArgumentException("invalid user name for " + appId + ": '" + user + "'");
            }
            if (secret.length < MIN_SECRET_BYTES || secret.length > MAX_SECRET_BYTES) {
                throw new IllegalArgumentException("secret of " + secret.length + " bytes for " + appId + ", expected "
                        + MIN_SECRET_BYTES + "-" + MAX_SECRET_BYTES);
            }
            secret = secret.clone();
        }

        boolean sameAs(Registration other) {
            return appId.equals(other.appId) && user.equals(other.user) && Arrays.equals(secret, other.secret);
        }

        @Override
        public String toString() {
            // Never print the secret.
            return "Registration[" + appId + ", user=" + user + "]";
        }
    }

    /** What {@link #register} did. */
    public enum Outcome {
        ADDED,
        UNCHANGED,
        REPLACED
    }

    private final Map<String, Registration> apps = new ConcurrentHashMap<>();

    /** The secret bytes from the service data, without moving the buffer's position. */
    public static byte[] secretFromServiceData(ByteBuffer serviceData) {
        requireNonNull(serviceData, "service data is null");
        ByteBuffer b = serviceData.duplicate();
        byte[] secret = new byte[b.remaining()];
        b.get(secret);
        return secret;
    }

    /** Adds or replaces the app's registration; registering the same values again changes nothing. */
    public Outcome register(Registration registration) {
        Registration previous = apps.put(registration.appId(), registration);
        if (previous == null) {
            return Outcome.ADDED;
        }
        return previous.sameAs(registration) ? Outcome.UNCHANGED : Outcome.REPLACED;
    }

    /** Forgets the app; returns its registration, or null if it was not registered. */
    public Registration unregister(String appId) {
        return apps.remove(appId);
    }

    /** The app's user, or null for an unknown app. */
    public String user(String appId) {
        Registration r = apps.get(appId);
        return r == null ? null : r.user();
    }

    @Override
    public byte[] secret(String appId) {
        Registration r = apps.get(appId);
        // The transport promises not to modify the array, so hand out the record's copy without cloning per handshake.
        return r == null ? null : r.secret();
    }

    public boolean contains(String appId) {
        return apps.containsKey(appId);
    }

    public int size() {
        return apps.size();
    }

    /** A snapshot of all registrations. */
    public Collection<Registration> all() {
        return List.copyOf(apps.values());
    }
}
