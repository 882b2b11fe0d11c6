package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shading gate, run by failsafe after {@code package} so {@code verify} fails when shading regresses: every class
 * in the installable jar lives under {@code dev/weft/}, no class refers to an unrelocated Netty or protobuf type,
 * Netty's native libraries (if any) carry the relocated name, and no logging framework is bundled.
 */
class ShadedJarIT {
    private static Path jar;

    @BeforeAll
    static void findJar() {
        jar = Paths.get(System.getProperty("weft.shaded.jar", "target/missing-shaded.jar"));
        assertTrue(Files.isRegularFile(jar), "shaded jar not built: " + jar);
    }

    private static String withoutVersionPrefix(String name) {
        // Multi-release entries (META-INF/versions/11/io/netty/...) are classes too.
        return name.matches("META-INF/versions/\\d+/.*") ? name.replaceFirst("META-INF/versions/\\d+/", "") : name;
    }

    @Test
    void everyClassIsUnderDevWeftAndReferencesOnlyRelocatedPackages() throws IOException {
        List<String> outside = new ArrayList<>();
        List<String> unrelocatedReferences = new ArrayList<>();
        int classes = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                String name = withoutVersionPrefix(entry.getName());
                if (!name.endsWith(".class")) {
                    continue;
                }
                classes++;
                if (!name.startsWith("dev/weft/")) {
                    outside.add(entry.getName());
                    continue;
                }
                String constants = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                for (String pkg : List.of("io/netty/", "com/google/protobuf/", "org/slf4j/impl/")) {
                    if (refersUnrelocated(constants, pkg)) {
                        unrelocatedReferences.add(entry.getName() + " -> " + pkg);
                    }
                }
            }
        }
        assertTrue(outside.isEmpty(), "classes outside dev/weft/: " + outside.subList(0, Math.min(20, outside.size())));
        assertTrue(
                unrelocatedReferences.isEmpty(),
                "unrelocated references: "
                        + unrelocatedReferences.subList(0, Math.min(20, unrelocatedReferences.size())));
        assertTrue(classes > 1000, "suspiciously few classes: " + classes);
    }

    private static boolean refersUnrelocated(String constants, String pkg) {
        for (int i = constants.indexOf(pkg); i >= 0; i = constants.indexOf(pkg, i + 1)) {
            if (!constants.startsWith("dev/weft/shaded/", i - "dev/weft/shaded/".length())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void bundlesTheServiceTransportFormatNettyAndProtobufButNoLogging() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (String required : List.of(
                    "dev/weft/shuffle/yarn/WeftShuffleService.class",
                    "dev/weft/transport/server/BlockServer.class",
                    "dev/weft/shuffle/format/MapOutputIndexFormat.class",
                    "dev/weft/shaded/io/netty/channel/nio/NioEventLoopGroup.class",
                    "dev/weft/shaded/com/google/protobuf/GeneratedMessage.class")) {
                assertTrue(file.getEntry(required) != null, "missing " + required);
            }
            List<String> forbidden = file.stream()
                    .map(JarEntry::getName)
                    .filter(n -> n.startsWith("org/slf4j/")
                            || n.startsWith("org/apache/log4j/")
                            || n.startsWith("org/apache/logging/")
                            || n.startsWith("ch/qos/")
                            || n.startsWith("org/apache/hadoop/"))
                    .toList();
            assertEquals(List.of(), forbidden);
        }
    }

    @Test
    void nettyNativeLibrariesCarryTheRelocatedPrefix() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> wronglyNamed = file.stream()
                    .map(JarEntry::getName)
                    .filter(n -> n.startsWith("META-INF/native/") && !n.equals("META-INF/native/"))
                    .filter(n -> !n.startsWith("META-INF/native/libdev_weft_shaded_netty_")
                            && !n.startsWith("META-INF/native/dev_weft_shaded_netty_"))
                    .toList();
            // NativeLibraryLoader looks for lib + "dev_weft_shaded_" + netty_..., derived from the relocated package
            // name.
            assertEquals(List.of(), wronglyNamed);
        }
    }
}
