package dev.weft.transport.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TestHmacChallengeResponse {
    private static final byte[] LABEL = "test-client".getBytes(StandardCharsets.US_ASCII);
    private static final AuthSecret SECRET = AuthSecret.random();

    /** What a verifier expects for {@code nonce}; a prover computes the same with the secret it holds. */
    private static byte[] proofFor(AuthSecret secret, byte[] nonce) {
        return HmacChallengeResponse.proof(secret, LABEL, nonce);
    }

    @Test
    void matchesTheRfc4231ReferenceVector() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?", split across two parts.
        byte[] proof = HmacChallengeResponse.proof(
                "Jefe".getBytes(StandardCharsets.US_ASCII),
                "what do ya ".getBytes(StandardCharsets.US_ASCII),
                "want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertEquals(
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                HexFormat.of().formatHex(proof));
        assertEquals(HmacChallengeResponse.PROOF_BYTES, proof.length);
    }

    @Test
    void theRightSecretIsAccepted() {
        byte[] nonce = HmacChallengeResponse.newNonce();
        AuthSecret sameSecret = AuthSecret.fromBase64(SECRET.toBase64());
        assertTrue(HmacChallengeResponse.verify(proofFor(SECRET, nonce), proofFor(sameSecret, nonce)));
        assertArrayEquals(
                HmacChallengeResponse.proof(SECRET.bytes(), LABEL, nonce),
                proofFor(SECRET, nonce),
                "keying by the secret object and by its bytes is the same computation");
    }

    @Test
    void aWrongSecretIsRefused() {
        byte[] nonce = HmacChallengeResponse.newNonce();
        assertFalse(HmacChallengeResponse.verify(proofFor(SECRET, nonce), proofFor(AuthSecret.random(), nonce)));
    }

    @Test
    void aResponseReplayedAgainstAFreshChallengeIsRefused() {
        byte[] first = HmacChallengeResponse.newNonce();
        byte[] recorded = proofFor(SECRET, first);
        byte[] second = HmacChallengeResponse.newNonce();
        assertFalse(Arrays.equals(first, second), "challenges are fresh");
        assertFalse(HmacChallengeResponse.verify(proofFor(SECRET, second), recorded));
        // Nor may one side's proof pass as the other's: a different label is a different proof.
        byte[] otherSide =
                HmacChallengeResponse.proof(SECRET, "test-server".getBytes(StandardCharsets.US_ASCII), first);
        assertFalse(HmacChallengeResponse.verify(recorded, otherSide));
    }

    @Test
    void aTruncatedOrMissingResponseIsRefused() {
        byte[] nonce = HmacChallengeResponse.newNonce();
        byte[] expected = proofFor(SECRET, nonce);
        assertFalse(HmacChallengeResponse.verify(expected, Arrays.copyOf(expected, expected.length - 1)));
        assertFalse(HmacChallengeResponse.verify(expected, new byte[0]));
        assertFalse(HmacChallengeResponse.verify(expected, null));
        byte[] flipped = expected.clone();
        flipped[flipped.length - 1] ^= 1;
        assertFalse(HmacChallengeResponse.verify(expected, flipped), "the last byte counts too");
        byte[] extended = Arrays.copyOf(expected, expected.length + 1);
        assertFalse(HmacChallengeResponse.verify(expected, extended));
    }

    @Test
    void noncesAreFreshAndOfTheStatedLength() {
        byte[] a = HmacChallengeResponse.newNonce();
        byte[] b = HmacChallengeResponse.newNonce();
        assertEquals(HmacChallengeResponse.NONCE_BYTES, a.length);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void secretsAreNeverPrintedAndShortOnesAreRefused() {
        assertEquals("AuthSecret[redacted]", SECRET.toString());
        assertThrows(IllegalArgumentException.class, () -> new AuthSecret(new byte[AuthSecret.MIN_BYTES - 1]));
        assertThrows(IllegalArgumentException.class, () -> HmacChallengeResponse.proof(new byte[0], LABEL));
    }
}
