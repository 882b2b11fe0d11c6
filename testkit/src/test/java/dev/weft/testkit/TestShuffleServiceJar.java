package dev.weft.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestShuffleServiceJar {
    @TempDir
    Path tmp;

    @Test
    void thePropertyWinsOverTheClasspath() throws Exception {
        Path named = Files.createFile(tmp.resolve("service.jar"));
        Path onClasspath = Files.createFile(tmp.resolve("weft-external-shuffle-aux-service-1.0-shaded.jar"));
        assertEquals(Optional.of(named), ShuffleServiceJar.locate(named.toString(), onClasspath.toString()));
    }

    @Test
    void aPropertyNamingNoFileFails() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ShuffleServiceJar.locate(tmp.resolve("absent.jar").toString(), ""));
        assertTrue(e.getMessage().contains("weft.aux.jar="), e.getMessage());
    }

    @Test
    void theShadedJarIsFoundOnTheClasspathButNotThePlainOne() throws Exception {
        Path plain = Files.createFile(tmp.resolve("weft-external-shuffle-aux-service-0.1.0-SNAPSHOT.jar"));
        Path shaded = Files.createFile(tmp.resolve("weft-external-shuffle-aux-service-0.1.0-SNAPSHOT-shaded.jar"));
        String cp =
                String.join(File.pathSeparator, tmp.resolve("classes").toString(), plain.toString(), shaded.toString());
        assertEquals(Optional.of(shaded), ShuffleServiceJar.locate(null, cp));
        assertEquals(Optional.empty(), ShuffleServiceJar.locate("", plain.toString()));
    }

    @Test
    void theNodeManagersLoadTheJarInItsOwnClassLoaderOnAnEphemeralPort() {
        var settings = ShuffleServiceJar.nodeManagerSettings(Path.of("/opt/weft/s.jar"));
        assertEquals("weft_shuffle", settings.get("yarn.nodemanager.aux-services"));
        assertEquals("/opt/weft/s.jar", settings.get("yarn.nodemanager.aux-services.weft_shuffle.classpath"));
        assertEquals("0", settings.get("weft.shuffle.service.port"));
    }
}
