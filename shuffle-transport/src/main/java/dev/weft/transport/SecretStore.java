package dev.weft.transport;

/**
 * Per-application shared secrets. The host registers an app's secret before its executors fetch and removes it when
 * the app ends. Called from event-loop threads: implementations must be thread-safe and must not block.
 */
public interface SecretStore {
    /** @return the app's secret, or null when the app is unknown; callers must not modify the array */
    byte[] secret(String appId);
}
