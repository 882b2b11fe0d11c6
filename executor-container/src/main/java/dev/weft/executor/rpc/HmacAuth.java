package dev.weft.executor.rpc;

import dev.weft.transport.auth.AuthSecret;
import dev.weft.transport.auth.HmacChallengeResponse;
import java.nio.charset.StandardCharsets;

/**
 * Which bytes the executor handshake's proofs cover; the computation and comparison are
 * {@link HmacChallengeResponse}'s. Both sides prove knowledge of the secret with an HMAC over both nonces;
 * the two proofs use different labels so that one side's proof can never be replayed as the other's, and
 * fresh nonces on both sides make every proof single-use.
 *
 * <p>Stateless and thread-safe.
 */
final class HmacAuth {
    static final int NONCE_BYTES = HmacChallengeResponse.NONCE_BYTES;
    private static final byte[] CLIENT_LABEL = "weft-executor-auth-v2 client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_LABEL = "weft-executor-auth-v2 server".getBytes(StandardCharsets.US_ASCII);

    private HmacAuth() {}

    static byte[] nonce() {
        return HmacChallengeResponse.newNonce();
    }

    /**
     * What the executor sends: proves it knows the secret and answers this very challenge, and binds its choice to seal
     * the connection, so that nobody on the way can clear it.
     */
    static byte[] clientProof(AuthSecret secret, byte[] serverNonce, byte[] clientNonce, boolean seal) {
        return HmacChallengeResponse.proof(
                secret, CLIENT_LABEL, serverNonce, clientNonce, new byte[] {(byte) (seal ? 1 : 0)});
    }

    /** What the driver sends back: proves to the executor that it talks to the real driver. */
    static byte[] serverProof(AuthSecret secret, byte[] clientNonce, byte[] serverNonce) {
        return HmacChallengeResponse.proof(secret, SERVER_LABEL, clientNonce, serverNonce);
    }

    /** Constant-time comparison ({@link HmacChallengeResponse#verify}). */
    static boolean matches(byte[] expected, byte[] actual) {
        return HmacChallengeResponse.verify(expected, actual);
    }
}
