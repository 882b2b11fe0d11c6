package dev.weft.transport.auth;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The per-application secret that driver, executors and the NodeManager shuffle service share. It only ever
 * keys HMACs ({@link HmacChallengeResponse}); it is never sent, logged or printed ({@link #toString()} is
 * redacted). The client creates it with {@link #random()} and hands it to the driver's container as a secret key of
 * the launch context's credentials ({@value #CREDENTIALS_ALIAS}), never in the environment or on a command line;
 * the driver passes its credentials on to executors the same way. {@value #ENV_VAR} is read only outside YARN.
 *
 * <p>Each protocol is keyed by its own key derived from the secret ({@link #derive}): the NodeManager shuffle service
 * gets only the {@value #SHUFFLE} key, so that key leaking from a NodeManager (its recovery store) does not let its
 * holder pose as an executor to the driver, which uses the {@value #RPC} key.
 *
 * <p>Immutable and thread-safe; accessors return copies.
 */
public final class AuthSecret {
    /** The environment variable a process started outside YARN reads the secret from (base64). */
    public static final String ENV_VAR = "WEFT_AUTH_SECRET";
    /** The alias of the secret among a YARN container's credentials ({@code Credentials.getSecretKey}). */
    public static final String CREDENTIALS_ALIAS = "weft.auth.secret";
    /** {@link #derive} purpose of the shuffle transport's key (executors and the NodeManager service). */
    public static final String SHUFFLE = "shuffle";
    /** {@link #derive} purpose of the driver RPC's key (driver and executors). */
    public static final String RPC = "rpc";
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
            throw new IllegalArgumentException("no application secret: the container's credentials carry no "
                    + CREDENTIALS_ALIAS + " and " + ENV_VAR + " is not set");
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

    /**
     * A key for one purpose: HMAC-SHA256 of {@code "weft/" + purpose} under this secret. Keys of different purposes
     * tell nothing about each other or about this secret.
     */
    public AuthSecret derive(String purpose) {
        Objects.requireNonNull(purpose, "purpose is null");
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(bytes, "HmacSHA256"));
            return new AuthSecret(mac.doFinal(("weft/" + purpose).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The value of {@value #ENV_VAR} for a process started outside YARN (tests, manual runs). */
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
