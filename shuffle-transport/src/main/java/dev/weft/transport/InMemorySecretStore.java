package dev.weft.transport;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SecretStore} in a concurrent map. Thread-safe; register/unregister are idempotent. */
public final class InMemorySecretStore implements SecretStore {
    private final Map<String, byte[]> secrets = new ConcurrentHashMap<>();

    /** Registers (or replaces) the app's secret; the array is copied. */
    public void register(String appId, byte[] secret) {
        requireNonNull(appId, "appId is null");
        requireNonNull(secret, "secret is null");
        if (secret.length == 0) {
            throw new IllegalArgumentException("empty secret for " + appId);
        }
        secrets.put(appId, secret.clone());
    }

    public void unregister(String appId) {
        secrets.remove(appId);
    }

    @Override
    public byte[] secret(String appId) {
        return secrets.get(appId);
    }
}
