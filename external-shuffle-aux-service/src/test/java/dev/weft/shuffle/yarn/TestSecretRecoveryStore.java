package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSecretRecoveryStore {
    private static final String APP1 = "application_1700000000000_0001";
    private static final String APP2 = "application_1700000000000_0002";

    @TempDir
    Path tmp;

    private static List<AppSecrets.Registration> sorted(List<AppSecrets.Registration> registrations) {
        return registrations.stream()
                .sorted(Comparator.comparing(AppSecrets.Registration::appId))
                .toList();
    }

    @Test
    void savedAppsAreLoadedByANewInstance() throws IOException {
        Path dir = tmp.resolve("recovery/nm-aux-services/weft_shuffle");
        SecretRecoveryStore store = new SecretRecoveryStore(dir);
        store.save(new AppSecrets.Registration(APP1, "alice", new byte[] {1, 2, 3}));
        store.save(new AppSecrets.Registration(APP2, "bob", new byte[] {4}));
        store.save(new AppSecrets.Registration(APP2, "bob", new byte[] {5, 6}));

        List<AppSecrets.Registration> loaded = sorted(new SecretRecoveryStore(dir).loadAll());
        assertEquals(2, loaded.size());
        assertEquals(APP1, loaded.get(0).appId());
        assertEquals("alice", loaded.get(0).user());
        assertArrayEquals(new byte[] {1, 2, 3}, loaded.get(0).secret());
        assertArrayEquals(new byte[] {5, 6}, loaded.get(1).secret(), "the last save wins");
    }

    @Test
    void deleteRemovesTheFile() throws IOException {
        SecretRecoveryStore store = new SecretRecoveryStore(tmp);
        store.save(new AppSecrets.Registration(APP1, "alice", new byte[] {1}));
        assertTrue(store.delete(APP1));
        assertFalse(store.delete(APP1));
        assertFalse(store.delete("../" + APP1), "never a path");
        assertTrue(new SecretRecoveryStore(tmp).loadAll().isEmpty());
    }

    @Test
    void filesAreOwnerOnlyAndNoTempFileRemains() throws IOException {
        SecretRecoveryStore store = new SecretRecoveryStore(tmp);
        store.save(new AppSecrets.Registration(APP1, "alice", new byte[] {1}));
        try (var files = Files.list(tmp)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(all.get(0))));
        }
    }

    @Test
    void corruptFilesAreSkippedAndTempFilesCleaned() throws IOException {
        SecretRecoveryStore store = new SecretRecoveryStore(tmp);
        store.save(new AppSecrets.Registration(APP1, "alice", new byte[] {1, 2}));
        store.save(new AppSecrets.Registration(APP2, "bob", new byte[] {3}));
        Path file2 = tmp.resolve(APP2 + ".app");
        byte[] bytes = Files.readAllBytes(file2);
        bytes[bytes.length - 5] ^= 1;
        Files.write(file2, bytes);
        Path leftover = tmp.resolve(".tmp-" + APP1 + ".app");
        Files.write(leftover, new byte[] {0});
        Files.write(tmp.resolve("not-an-app.app"), new byte[] {0});

        List<AppSecrets.Registration> loaded = store.loadAll();
        assertEquals(1, loaded.size());
        assertEquals(APP1, loaded.get(0).appId());
        assertFalse(Files.exists(leftover));
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        byte[] good = SecretRecoveryStore.encode(new AppSecrets.Registration(APP1, "alice", new byte[] {1, 2, 3}));
        for (int len = 0; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            assertThrows(IOException.class, () -> SecretRecoveryStore.decode(APP1, cut), "length " + cut.length);
        }
        assertEquals("alice", SecretRecoveryStore.decode(APP1, good).user());
    }

    @Test
    void aMissingDirHoldsNothing() throws IOException {
        assertTrue(new SecretRecoveryStore(tmp.resolve("absent")).loadAll().isEmpty());
    }
}
