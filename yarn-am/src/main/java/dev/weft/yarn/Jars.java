package dev.weft.yarn;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Finds where a class was loaded from and packs class directories into jars. Stateless. */
public final class Jars {
    private Jars() {}

    /** The jar file or class directory {@code c} was loaded from, or null for JDK classes. */
    public static Path codeSource(Class<?> c) {
        if (c.getProtectionDomain().getCodeSource() == null) {
            return null;
        }
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + c.getName(), e);
        }
    }

    /**
     * A jar holding {@code c}: its own jar, or a new temporary jar packed from its class directory with
     * entry times zeroed, so an unchanged directory always packs to the same bytes.
     */
    public static Path jarOf(Class<?> c) throws IOException {
        Path src = codeSource(c);
        if (src == null) {
            throw new IOException(c.getName() + " has no code source");
        }
        return Files.isDirectory(src) ? pack(src) : src;
    }

    static Path pack(Path dir) throws IOException {
        Path jar = Files.createTempFile("weft-classes-", ".jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> walk = Files.walk(dir)) {
            JarEntry manifest = new JarEntry("META-INF/MANIFEST.MF");
            manifest.setTime(0);
            out.putNextEntry(manifest);
            mf.write(out);
            out.closeEntry();
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals("MANIFEST.MF")) {
                    JarEntry e = new JarEntry(dir.relativize(p).toString().replace('\\', '/'));
                    e.setTime(0);
                    out.putNextEntry(e);
                    Files.copy(p, out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }
}
