package dev.weft.executor.rpc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The challenge-response arithmetic of the handshake. Both sides prove knowledge of the secret with an
 * HMAC-SHA256 over both nonces; the two proofs use different labels so that one side's proof can never be
 * replayed as the other's, and fresh nonces on both sides make every proof single-use.
 *
 * <p>Stateless and thread-safe.
 */
final class HmacAuth {
    static final int NONCE_BYTES = 32;
    private static final byte[] CLIENT_LABEL = "weft-executor-auth-v1 client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_LABEL = "weft-executor-auth-v1 server".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private HmacAuth() {}

    static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /** What the executor sends: proves it knows the secret and answers this very challenge. */
    static byte[] clientProof(AuthSecret secret, byte[] serverNonce, byte[] clientNonce) {
        return hmac(secret, CLIENT_LABEL, serverNonce, clientNonce);
    }

    /** What the driver sends back: proves to the executor that it talks to the real driver. */
    static byte[] serverProof(AuthSecret secret, byte[] clientNonce, byte[] serverNonce) {
        return hmac(secret, SERVER_LABEL, clientNonce, serverNonce);
    }

    /** Constant-time comparison, so timing does not reveal how many leading bytes matched. */
    static boolean matches(byte[] expected, byte[] actual) {
        return actual != null && MessageDigest.isEqual(expected, actual);
    }

    private static byte[] hmac(AuthSecret secret, byte[] label, byte[] first, byte[] second) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
            mac.update(label);
            mac.update(first);
            mac.update(second);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime ships HmacSHA256; reaching this is a broken JDK, not a bad peer.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
