package dev.weft.transport.protocol;

import dev.weft.transport.auth.HmacChallengeResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Which bytes the shuffle transport's challenge-response codes cover; the computation and comparison are
 * {@link HmacChallengeResponse}'s. The secret never leaves either side: the client proves it knows the app's
 * secret with {@code HMAC(secret, serverNonce || sealByte || utf8(appId))}, which also binds its choice to seal the
 * connection (so nobody on the way can clear it); the server proves it back with
 * {@code HMAC(secret, "weft-server" || clientNonce || serverNonce)}. Thread-safe.
 */
public final class AuthCodes {
    public static final int NONCE_BYTES = HmacChallengeResponse.NONCE_BYTES;
    private static final byte[] SERVER_LABEL = "weft-server".getBytes(StandardCharsets.US_ASCII);

    private AuthCodes() {}

    public static byte[] newNonce(SecureRandom random) {
        return HmacChallengeResponse.newNonce(random);
    }

    public static byte[] clientMac(byte[] secret, byte[] serverNonce, boolean seal, String appId) {
        return HmacChallengeResponse.proof(
                secret, serverNonce, new byte[] {(byte) (seal ? 1 : 0)}, appId.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] serverMac(byte[] secret, byte[] clientNonce, byte[] serverNonce) {
        return HmacChallengeResponse.proof(secret, SERVER_LABEL, clientNonce, serverNonce);
    }

    /** Constant-time comparison ({@link HmacChallengeResponse#verify}). */
    public static boolean matches(byte[] expected, byte[] actual) {
        return HmacChallengeResponse.verify(expected, actual);
    }
}
