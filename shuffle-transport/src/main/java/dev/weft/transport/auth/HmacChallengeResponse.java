package dev.weft.transport.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one HMAC-SHA256 challenge-response computation of Weft's authenticated connections: the executor RPC
 * handshake ({@code dev.weft.executor.rpc}) and the shuffle transport ({@code dev.weft.transport.protocol.AuthCodes})
 * both compute and check their proofs here; each protocol only decides which bytes a proof covers.
 *
 * <p>Contract:
 * <ul>
 *   <li>A challenge is a fresh {@value #NONCE_BYTES}-byte nonce from a {@link SecureRandom}
 *       ({@link #newNonce}); the verifier makes one per connection and never reuses it.
 *   <li>A proof is {@code HMAC-SHA256(secret, parts[0] || parts[1] || ...)}, {@value #PROOF_BYTES} bytes. The
 *       parts must include the verifier's nonce, which makes every proof single-use: a proof recorded on one
 *       connection is refused on the next, whose nonce differs. A protocol whose two sides both prove
 *       themselves must give the two proofs different parts (a label, or the nonces in another order) so one
 *       side's proof can never be replayed as the other's. The parts are concatenated without lengths, so
 *       all but the last must have a fixed length in a protocol.
 *   <li>{@link #verify} compares in time independent of where the bytes differ, and refuses null and proofs of
 *       another length (a truncated proof).
 *   <li>The secret is never sent; only proofs travel.
 * </ul>
 *
 * <p>Stateless and thread-safe (a {@link Mac} per call).
 */
public final class HmacChallengeResponse {
    public static final String ALGORITHM = "HmacSHA256";
    public static final int NONCE_BYTES = 32;
    public static final int PROOF_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private HmacChallengeResponse() {}

    /** A fresh challenge from the shared {@link SecureRandom}. */
    public static byte[] newNonce() {
        return newNonce(RANDOM);
    }

    public static byte[] newNonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /** The proof, keyed by the application's secret, over {@code parts} in order. */
    public static byte[] proof(AuthSecret secret, byte[]... parts) {
        return proof(Objects.requireNonNull(secret, "secret is null").key(), parts);
    }

    /**
     * The proof keyed by raw secret bytes, for a transport that receives its secrets as bytes (the shuffle
     * service gets them in container service data).
     *
     * @throws IllegalArgumentException when the secret is empty
     */
    public static byte[] proof(byte[] secret, byte[]... parts) {
        Objects.requireNonNull(secret, "secret is null");
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            for (byte[] part : parts) {
                mac.update(Objects.requireNonNull(part, "part is null"));
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime ships HmacSHA256; reaching this is a broken JDK, not a bad peer.
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    /**
     * Whether {@code actual} is the {@code expected} proof: constant-time, so timing does not reveal how many
     * leading bytes matched; false for null or a proof of another length.
     */
    public static boolean verify(byte[] expected, byte[] actual) {
        Objects.requireNonNull(expected, "expected is null");
        return actual != null && actual.length == expected.length && MessageDigest.isEqual(expected, actual);
    }
}
