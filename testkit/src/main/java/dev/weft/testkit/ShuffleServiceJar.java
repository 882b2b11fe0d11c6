package dev.weft.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the shaded NodeManager shuffle service jar and the NodeManager settings that load it, as an operator
 * configures them (README, "Installing the shuffle service on a cluster"). Stateless.
 */
final class ShuffleServiceJar {
    /** The system property that names the jar; it wins over the classpath. */
    static final String PROPERTY = "weft.aux.jar";

    private static final Pattern FILE_NAME = Pattern.compile("weft-external-shuffle-aux-service-.+-shaded\\.jar");

    private ShuffleServiceJar() {}

    /** The jar named by {@code weft.aux.jar}, or else the shaded jar on {@code java.class.path}. */
    static Path locate() {
        return locate(System.getProperty(PROPERTY), System.getProperty("java.class.path", ""))
                .orElseThrow(() -> new IllegalStateException("@WeftCluster(shuffleService = true) needs the shaded"
                        + " shuffle service jar: set the system property " + PROPERTY + " to its path, or add a"
                        + " test-scoped dependency on dev.weft:weft-external-shuffle-aux-service with classifier"
                        + " 'shaded' (build it with mvn -pl external-shuffle-aux-service -am package), or use"
                        + " @WeftCluster(shuffleService = false)"));
    }

    /**
     * @param property  the value of {@code weft.aux.jar}, or null; when set it must name an existing file
     * @param classPath a class path ({@link File#pathSeparator}-separated) searched for the jar by its file name
     */
    static Optional<Path> locate(String property, String classPath) {
        if (property != null && !property.isBlank()) {
            Path jar = Path.of(property).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(PROPERTY + "=" + property + " is not a file: build the shuffle"
                        + " service first (mvn -pl external-shuffle-aux-service -am package)");
            }
            return Optional.of(jar);
        }
        for (String entry : classPath.split(Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            Path name = p.getFileName();
            if (name != null && FILE_NAME.matcher(name.toString()).matches() && Files.isRegularFile(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * NodeManager settings that run {@code weft_shuffle} from {@code jar} in its own class loader, on an ephemeral
     * port (several NodeManagers share this host).
     */
    static Map<String, String> nodeManagerSettings(Path jar) {
        return Map.of(
                "yarn.nodemanager.aux-services", "weft_shuffle",
                "yarn.nodemanager.aux-services.weft_shuffle.class", "dev.weft.shuffle.yarn.WeftShuffleService",
                "yarn.nodemanager.aux-services.weft_shuffle.classpath", jar.toString(),
                "weft.shuffle.service.port", "0");
    }
}
