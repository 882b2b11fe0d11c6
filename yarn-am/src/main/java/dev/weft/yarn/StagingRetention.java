package dev.weft.yarn;

import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

/**
 * Decides whether a driver attempt removes the application's staging directory, which it must do
 * <em>before</em> it unregisters: once the ResourceManager reports the final state, a client or script
 * may look for the directory, and an attempt that dies between unregistering and deleting would leave it
 * behind for good. An attempt that fails while the ResourceManager may still start another keeps the
 * directory, because the next attempt localizes its jars from there.
 */
record StagingRetention(int attempt, int maxAttempts) {
    /** Environment variable carrying the attempts the client asked for ({@code maxAppAttempts}). */
    static final String MAX_ATTEMPTS_ENV = "WEFT_DRIVER_MAX_ATTEMPTS";

    StagingRetention {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
    }

    /**
     * The attempts the client asked for, from {@link #MAX_ATTEMPTS_ENV}; 1 when unset (a client that sets
     * none submits with one attempt). The RM may cap it lower, which only makes an earlier attempt the last.
     */
    static int maxAttemptsFromEnv(String value) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("malformed " + MAX_ATTEMPTS_ENV + " in the driver's environment: " + value);
        }
    }

    /** True when this attempt ends the application: it succeeded, or no attempt may follow it. */
    boolean removeBeforeUnregistering(FinalApplicationStatus status) {
        return status == FinalApplicationStatus.SUCCEEDED
                || status == FinalApplicationStatus.KILLED
                || attempt >= maxAttempts;
    }
}
