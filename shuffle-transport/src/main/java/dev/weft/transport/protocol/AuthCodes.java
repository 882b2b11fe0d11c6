package dev.weft.transport.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 challenge-response codes. The secret never leaves either side: the client proves it knows the app's
 * secret with {@code HMAC(secret, serverNonce || utf8(appId))}; the server proves it back with
 * {@code HMAC(secret, "weft-server" || clientNonce || serverNonce)}. Thread-safe (a Mac per call).
 */
public final class AuthCodes {
    public static final int NONCE_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] SERVER_LABEL = "weft-server".getBytes(StandardCharsets.US_ASCII);

    private AuthCodes() {}

    public static byte[] newNonce(SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    public static byte[] clientMac(byte[] secret, byte[] serverNonce, String appId) {
        return mac(secret, serverNonce, appId.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] serverMac(byte[] secret, byte[] clientNonce, byte[] serverNonce) {
        return mac(secret, SERVER_LABEL, clientNonce, serverNonce);
    }

    /** Constant-time comparison. */
    public static boolean matches(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] mac(byte[] secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }
}
