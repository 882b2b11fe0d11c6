package dev.weft.transport.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Each protocol's key is derived from the application's secret and differs from it and from the other's. */
class TestAuthSecretDerive {
    @Test
    void keysArePerPurposeStableAndNotTheSecret() throws Exception {
        AuthSecret secret = AuthSecret.random();
        AuthSecret shuffle = secret.derive(AuthSecret.SHUFFLE);
        AuthSecret rpc = secret.derive(AuthSecret.RPC);
        assertNotEquals(secret, shuffle);
        assertNotEquals(secret, rpc);
        assertNotEquals(shuffle, rpc);
        assertEquals(shuffle, secret.derive(AuthSecret.SHUFFLE), "the same purpose gives the same key everywhere");
        // Independent reference: HMAC-SHA256 of "weft/shuffle" under the secret.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
        assertEquals(new AuthSecret(mac.doFinal("weft/shuffle".getBytes(StandardCharsets.UTF_8))), shuffle);
    }
}
