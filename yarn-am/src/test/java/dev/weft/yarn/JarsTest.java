package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarsTest {
    /** A class with no dependencies beyond the JDK, loaded again from copies of its class file. */
    static final class Probe {}

    private static final String PROBE = Probe.class.getName().replace('.', '/') + ".class";

    private static byte[] probeBytes() throws IOException {
        try (InputStream in = JarsTest.class.getClassLoader().getResourceAsStream(PROBE)) {
            return in.readAllBytes();
        }
    }

    private static Path jar(Path file, Map<String, byte[]> entries) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    private static void unpack(Path dir, Map<String, byte[]> entries) throws IOException {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            try (OutputStream out = Files.newOutputStream(f)) {
                out.write(e.getValue());
            }
        }
    }

    /** Loads the probe the way RunJar's class loader does: the unpacked directory first, then the jar. */
    private static Optional<Path> sourceJar(Path dir, Path jar) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {dir.toUri().toURL(), jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> probe = Class.forName(Probe.class.getName(), false, loader);
            assertEquals(dir, Jars.codeSource(probe), "loaded from the directory, as under RunJar");
            return Jars.jarUnpackedInto(dir, probe);
        }
    }

    @Test
    void aDirectoryUnpackedFromAJarOnTheSameLoaderIsStagedAsThatJar(@TempDir Path tmp) throws Exception {
        Map<String, byte[]> entries = Map.of(PROBE, probeBytes(), "data/readme.txt", new byte[] {1, 2, 3});
        Path jar = jar(tmp.resolve("app.jar"), entries);
        Path dir = Files.createDirectory(tmp.resolve("hadoop-unjar1"));
        unpack(dir, entries);
        assertEquals(Optional.of(jar), sourceJar(dir, jar));
    }

    @Test
    void aDirectoryThatDiffersFromTheJarIsPacked(@TempDir Path tmp) throws Exception {
        byte[] probe = probeBytes();
        Path jar = jar(tmp.resolve("app.jar"), Map.of(PROBE, probe));
        Path moreFiles = Files.createDirectory(tmp.resolve("more"));
        unpack(moreFiles, Map.of(PROBE, probe, "extra.txt", new byte[] {9}));
        assertTrue(sourceJar(moreFiles, jar).isEmpty(), "a file the jar does not hold");

        Path otherClass = Files.createDirectory(tmp.resolve("other"));
        byte[] changed = probe.clone();
        changed[changed.length - 1] ^= 1; // never loaded: the directory comes first
        unpack(otherClass, Map.of(PROBE, probe));
        Path otherJar = jar(tmp.resolve("other.jar"), Map.of(PROBE, changed));
        assertTrue(sourceJar(otherClass, otherJar).isEmpty(), "other bytes for the class");
    }
}
