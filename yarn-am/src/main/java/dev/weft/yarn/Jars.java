package dev.weft.yarn;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
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

    /**
     * The jar that {@code dir} is an unpacked copy of, when {@code c} was loaded from {@code dir} by a class loader that
     * also lists that jar. Hadoop's {@code RunJar} (what {@code yarn jar} runs) unpacks the program's jar into a
     * temporary directory and puts that directory first on its class loader, so without this every submission would
     * pack the whole program jar again. The jar counts as the directory's source only when it holds the same number of
     * files and the same bytes for {@code c}'s class file.
     */
    static Optional<Path> jarUnpackedInto(Path dir, Class<?> c) throws IOException {
        if (!(c.getClassLoader() instanceof URLClassLoader loader)) {
            return Optional.empty();
        }
        String entryName = c.getName().replace('.', '/') + ".class";
        Path unpacked = dir.resolve(entryName);
        if (!Files.isRegularFile(unpacked)) {
            return Optional.empty();
        }
        byte[] classBytes = Files.readAllBytes(unpacked);
        long filesInDir = -1;
        for (URL url : loader.getURLs()) {
            Path jar = fileJar(url);
            if (jar == null) {
                continue;
            }
            try (JarFile jf = new JarFile(jar.toFile())) {
                JarEntry entry = jf.getJarEntry(entryName);
                if (entry == null) {
                    continue;
                }
                byte[] inJar;
                try (InputStream in = jf.getInputStream(entry)) {
                    inJar = in.readAllBytes();
                }
                if (!Arrays.equals(inJar, classBytes)) {
                    continue;
                }
                if (filesInDir < 0) {
                    try (Stream<Path> walk = Files.walk(dir)) {
                        filesInDir = walk.filter(Files::isRegularFile).count();
                    }
                }
                if (filesInJar(jf) == filesInDir) {
                    return Optional.of(jar);
                }
            }
        }
        return Optional.empty();
    }

    private static Path fileJar(URL url) {
        if (!"file".equals(url.getProtocol()) || !url.getPath().endsWith(".jar")) {
            return null;
        }
        try {
            Path p = Path.of(url.toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static long filesInJar(JarFile jf) {
        long n = 0;
        for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
            if (!e.nextElement().isDirectory()) {
                n++;
            }
        }
        return n;
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
