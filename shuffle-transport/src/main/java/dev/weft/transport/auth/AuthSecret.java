package dev.weft.transport.auth;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The per-application secret that driver, executors and the NodeManager shuffle service share. It only ever
 * keys HMACs ({@link HmacChallengeResponse}); it is never sent, logged or printed ({@link #toString()} is
 * redacted). The driver creates it with {@link #random()} and hands
 * it to containers base64-encoded in the environment variable {@value #ENV_VAR}.
 *
 * <p>Immutable and thread-safe; accessors return copies.
 */
public final class AuthSecret {
    /** The environment variable executors read the secret from (base64). */
    public static final String ENV_VAR = "WEFT_AUTH_SECRET";
    /** Shorter secrets are too easy to brute-force offline from one observed challenge/response. */
    public static final int MIN_BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    public AuthSecret(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes is null");
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException(
                    "the secret must have at least " + MIN_BYTES + " bytes, has " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** A fresh 32-byte secret for a new application. */
    public static AuthSecret random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new AuthSecret(b);
    }

    /**
     * Parses the base64 value of {@value #ENV_VAR}.
     *
     * @throws IllegalArgumentException naming the variable when the value is absent, not base64 or too short
     */
    public static AuthSecret fromBase64(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(ENV_VAR + " is not set");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV_VAR + " is not valid base64", e);
        }
        try {
            return new AuthSecret(decoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV_VAR + ": " + e.getMessage(), e);
        }
    }

    /** The value to put into the container environment as {@value #ENV_VAR}. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A copy of the secret, for other protocols keyed by the same per-application secret (the shuffle transport). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The secret itself, without a copy, for {@link HmacChallengeResponse} only; callers must not modify it. */
    byte[] key() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthSecret s && java.security.MessageDigest.isEqual(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "AuthSecret[redacted]";
    }
}
