package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TestAppSecrets {
    private static final String APP = "application_1700000000000_0001";

    @Test
    void registrationIsIdempotent() {
        AppSecrets apps = new AppSecrets();
        assertEquals(
                AppSecrets.Outcome.ADDED, apps.register(new AppSecrets.Registration(APP, "alice", new byte[] {1, 2})));
        assertEquals(
                AppSecrets.Outcome.UNCHANGED,
                apps.register(new AppSecrets.Registration(APP, "alice", new byte[] {1, 2})));
        assertEquals(1, apps.size());
        assertArrayEquals(new byte[] {1, 2}, apps.secret(APP));
        assertEquals("alice", apps.user(APP));
        assertEquals(
                AppSecrets.Outcome.REPLACED, apps.register(new AppSecrets.Registration(APP, "alice", new byte[] {9})));
        assertArrayEquals(new byte[] {9}, apps.secret(APP), "a new secret for the same app wins");
        assertEquals(1, apps.size());
    }

    @Test
    void unregisterForgetsSecretAndUser() {
        AppSecrets apps = new AppSecrets();
        apps.register(new AppSecrets.Registration(APP, "alice", new byte[] {1}));
        assertEquals(APP, apps.unregister(APP).appId());
        assertNull(apps.secret(APP));
        assertNull(apps.user(APP));
        assertFalse(apps.contains(APP));
        assertNull(apps.unregister(APP), "a second stop is harmless");
        assertEquals(0, apps.size());
    }

    @Test
    void validatesRegistrations() {
        assertThrows(IllegalArgumentException.class, () -> new AppSecrets.Registration(APP, "alice", new byte[0]));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AppSecrets.Registration(APP, "alice", new byte[AppSecrets.MAX_SECRET_BYTES + 1]));
        assertThrows(
                IllegalArgumentException.class, () -> new AppSecrets.Registration("app_1", "alice", new byte[] {1}));
        assertThrows(NullPointerException.class, () -> new AppSecrets.Registration(APP, null, new byte[] {1}));
    }

    @Test
    void copiesTheSecretAndNeverPrintsIt() {
        byte[] secret = {42, 43};
        AppSecrets.Registration r = new AppSecrets.Registration(APP, "alice", secret);
        secret[0] = 0;
        assertArrayEquals(new byte[] {42, 43}, r.secret());
        assertFalse(r.toString().contains("42"), r.toString());
    }

    @Test
    void serviceDataIsTheRawSecretAndIsNotConsumed() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {0, 5, 6, 7});
        data.position(1);
        assertArrayEquals(new byte[] {5, 6, 7}, AppSecrets.secretFromServiceData(data));
        assertEquals(1, data.position());
    }
}
