package com.example.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.testkit.EmbeddedCluster;
import dev.weft.testkit.WeftAssertions;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.Test;

/**
 * The shaded application jar, as a cluster gets it: it holds no Hadoop class, and {@code yarn jar} runs it. The
 * client runs in a JVM of its own on a cluster's class path (Hadoop and the libraries it ships, no Weft, not this
 * program) through {@code org.apache.hadoop.util.RunJar}, which is what the {@code yarn jar} command starts; the
 * driver and executor containers of the MiniYARN cluster get the same class path after the staged jar. So Weft, the
 * program and the libraries only Weft brings (Netty, protobuf, RoaringBitmap, Log4j 2) can come from nowhere but the
 * jar. Not in the test's own JVM: RunJar's class loader asks its parent first, and this JVM's class path holds Weft
 * (through weft-testkit) and the program's classes, so an empty jar would pass there.
 */
class AppJarIT {
    private static final Path JAR = Path.of(System.getProperty("app.jar"));
    private static final Path WORK = Path.of(System.getProperty("app.workDir"));

    @Test
    void theJarHoldsWeftAndNoHadoop() throws IOException {
        Set<String> entries = entries(JAR);
        List<String> hadoop = entries.stream()
                .filter(e -> e.startsWith("org/apache/hadoop/"))
                .limit(5)
                .toList();
        assertEquals(List.of(), hadoop, "Hadoop classes in " + JAR);
        for (String needed : List.of(
                "com/example/app/WordFrequencies.class",
                "dev/weft/api/WeftContext.class",
                "dev/weft/yarn/DriverMain.class",
                "dev/weft/executor/ExecutorMain.class",
                "io/netty/channel/Channel.class",
                "com/google/protobuf/Message.class",
                "org/roaringbitmap/RoaringBitmap.class",
                "org/apache/logging/log4j/core/LoggerContext.class",
                // SLF4J 2, which Log4j 2's binding needs: not the SLF4J 1.7 that Hadoop would bring (weft-bom).
                "org/slf4j/spi/SLF4JServiceProvider.class")) {
            assertTrue(entries.contains(needed), needed + " is not in " + JAR);
        }
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals(
                    WordFrequencies.class.getName(),
                    jar.getManifest().getMainAttributes().getValue("Main-Class"),
                    "Main-Class");
            // Merged, not the first jar's file kept: every Weft module's keys are known to the configuration.
            assertEquals(
                    Set.of(
                            "dev.weft.conf.RuntimeConfigKeys",
                            "dev.weft.transport.TransportConfigKeys",
                            "dev.weft.executor.ExecutorConfigKeys",
                            "dev.weft.yarn.YarnConfigKeys",
                            "dev.weft.ui.UiConfigKeys"),
                    serviceLines(jar, "dev.weft.conf.ConfigKeyProvider"));
            assertEquals(
                    Set.of("dev.weft.yarn.YarnBackendFactory"),
                    serviceLines(jar, "dev.weft.scheduler.BackendFactory"));
        }
    }

    @Test
    void yarnJarRunsItOnMiniYarnWithExactOutput() throws Exception {
        Set<String> inJar = entries(JAR);
        List<String> clusterClassPath = clusterClassPath(inJar);
        Path baseDir = Files.createDirectories(WORK);
        Path confDir = baseDir.resolve("conf"); // where EmbeddedCluster writes core-site.xml and yarn-site.xml
        Map<String, String> extra = new HashMap<>(shuffleService());
        List<String> containerClassPath = new ArrayList<>();
        containerClassPath.add(confDir.toString());
        containerClassPath.addAll(clusterClassPath);
        extra.put("yarn.application.classpath", String.join(",", containerClassPath));

        try (EmbeddedCluster cluster = EmbeddedCluster.start(baseDir, "app-jar", 2, 1, extra)) {
            FileSystem fs = cluster.fileSystem();
            org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path("/in/text.txt");
            org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path("/out");
            Map<String, Long> reference = new TreeMap<>(); // sorted by word, as sortByKey sorts strings
            try (Writer w = new OutputStreamWriter(fs.create(in), StandardCharsets.UTF_8)) {
                for (int i = 0; i < 20_000; i++) {
                    String line = "Alpha w" + (i % 13) + " beta-" + (i % 7) + " W" + (i % 5);
                    w.write(line + "\n");
                    for (String word : line.toLowerCase(Locale.ROOT).split("\\W+")) {
                        if (!word.isEmpty()) {
                            reference.merge(word, 1L, Long::sum);
                        }
                    }
                }
            }

            // What `yarn jar word-frequencies-1.0.jar <args>` runs, with HADOOP_CONF_DIR first on the class path.
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx512m");
            cmd.addAll(List.of(System.getProperty("app.opens", "").split(" ")).stream()
                    .filter(s -> !s.isBlank())
                    .toList());
            cmd.add("-cp");
            cmd.add(confDir + File.pathSeparator + String.join(File.pathSeparator, clusterClassPath));
            cmd.add("org.apache.hadoop.util.RunJar");
            cmd.add(JAR.toString());
            // Small containers for the 4 GiB NodeManagers; uber mode off, so executor containers run the jar too.
            cmd.addAll(List.of(
                    "-D", "weft.driver.memory=384m",
                    "-D", "weft.executor.memory=384m",
                    "-D", "weft.executor.instances=2",
                    "-D", "weft.yarn.uber.enabled=false"));
            cmd.add(fs.makeQualified(in).toString());
            cmd.add(fs.makeQualified(out).toString());
            Path clientLog = baseDir.resolve("yarn-jar-client.log");
            Process client = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(clientLog.toFile())
                    .start();
            if (!client.waitFor(5, TimeUnit.MINUTES)) {
                client.destroyForcibly();
                fail("yarn jar did not exit within 5 minutes; its output:\n" + Files.readString(clientLog));
            }
            String clientOutput = Files.readString(clientLog);
            assertEquals(0, client.exitValue(), () -> "yarn jar failed; its output:\n" + clientOutput);
            assertTrue(clientOutput.contains("weft: submitted application"), clientOutput);

            WeftAssertions.assertTextOutputInOrder(
                    fs,
                    out,
                    reference.entrySet().stream()
                            .map(e -> "(" + e.getKey() + "," + e.getValue() + ")")
                            .toList());
            WeftAssertions.assertCommitted(fs, out);

            // Both applications ran from the jar, the driver's and the executors' (uber mode was off), and Weft's
            // logging works there: the jar's SLF4J finds the jar's Log4j 2 ahead of the cluster's jars.
            List<ApplicationReport> apps;
            YarnClient yarn = YarnClient.createYarnClient();
            yarn.init(cluster.conf());
            yarn.start();
            try {
                apps = yarn.getApplications();
            } finally {
                yarn.stop();
            }
            ApplicationReport driver = only(apps, "WEFT");
            assertEquals(FinalApplicationStatus.SUCCEEDED, driver.getFinalApplicationStatus(), driver::toString);
            ApplicationReport executors = only(apps, "WEFT-EXECUTORS");
            String driverLog = containerLogs(cluster, driver, "driver.log");
            assertTrue(
                    driverLog.contains("DriverMain - driver " + driver.getApplicationId() + " registered"),
                    () -> "driver.log:\n" + driverLog);
            String executorLog = containerLogs(cluster, executors, "executor.log");
            assertTrue(executorLog.contains("ended: success"), () -> "executor.log:\n" + executorLog);
        }
    }

    private static ApplicationReport only(List<ApplicationReport> apps, String type) {
        List<ApplicationReport> ofType = apps.stream()
                .filter(r -> r.getApplicationType().equals(type))
                .toList();
        assertEquals(1, ofType.size(), () -> type + " applications: " + apps);
        return ofType.get(0);
    }

    /** The named log file of every container of {@code app}, concatenated (from the NodeManagers' log dirs). */
    private static String containerLogs(EmbeddedCluster cluster, ApplicationReport app, String file)
            throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path logDir : cluster.nodeManagerLogDirs()) {
            Path appDir = logDir.resolve(app.getApplicationId().toString());
            if (!Files.isDirectory(appDir)) {
                continue;
            }
            try (var containers = Files.list(appDir)) {
                for (Path log : containers.map(c -> c.resolve(file)).filter(Files::isRegularFile).toList()) {
                    all.append(Files.readString(log));
                }
            }
        }
        return all.toString();
    }

    /**
     * The class path a cluster runs the client and containers on: this JVM's class path without Weft's jars, this
     * program's classes and this project's jar, and without the libraries that the application jar bundles and that a
     * Hadoop installation does not ship (a jar all of whose classes are in the application jar: Netty, protobuf,
     * RoaringBitmap, Log4j 2). The logging APIs stay: a Hadoop installation ships SLF4J and a Log4j 1 API of its own.
     */
    private static List<String> clusterClassPath(Set<String> inAppJar) throws IOException {
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.isBlank()) {
                continue;
            }
            Path p = Path.of(e).toAbsolutePath();
            if (!Files.exists(p)) {
                continue;
            }
            Set<String> classes = Files.isDirectory(p) ? classesIn(p) : classEntries(p);
            boolean weftOrProgram =
                    classes.stream().anyMatch(c -> c.startsWith("dev/weft/") || c.startsWith("com/example/"));
            boolean logging =
                    classes.stream().anyMatch(c -> c.startsWith("org/slf4j/") || c.startsWith("org/apache/log4j/"));
            boolean bundled = !classes.isEmpty() && inAppJar.containsAll(classes);
            if (weftOrProgram || (bundled && !logging)) {
                dropped.add(p.getFileName().toString());
            } else {
                kept.add(p.toString());
            }
        }
        System.out.println("cluster class path leaves out: " + dropped);
        assertTrue(
                kept.stream().anyMatch(e -> e.contains("hadoop-common")),
                "no hadoop-common on the test's class path: " + kept);
        assertFalse(dropped.isEmpty(), "nothing of Weft on the test's class path?");
        return kept;
    }

    /** The NodeManager settings an operator writes (README), loading the shaded shuffle service from the kit's jar. */
    private static Map<String, String> shuffleService() {
        String jar = List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .filter(e -> Path.of(e)
                        .getFileName()
                        .toString()
                        .matches("weft-external-shuffle-aux-service-.+-shaded\\.jar"))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalStateException("the shaded shuffle service jar is not on the class path"));
        return Map.of(
                "yarn.nodemanager.aux-services", "weft_shuffle",
                "yarn.nodemanager.aux-services.weft_shuffle.class", "dev.weft.shuffle.yarn.WeftShuffleService",
                "yarn.nodemanager.aux-services.weft_shuffle.classpath", jar,
                "weft.shuffle.service.port", "0");
    }

    private static Set<String> entries(Path jar) throws IOException {
        Set<String> names = new HashSet<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                names.add(e.nextElement().getName());
            }
        }
        return names;
    }

    /** Class files of a jar, without module descriptors and Java-version-specific copies. */
    private static Set<String> classEntries(Path jar) throws IOException {
        Set<String> names = new HashSet<>();
        for (String n : entries(jar)) {
            if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")) {
                names.add(n);
            }
        }
        return names;
    }

    private static Set<String> classesIn(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> dir.relativize(f).toString().replace(File.separatorChar, '/'))
                    .collect(Collectors.toSet());
        }
    }

    private static Set<String> serviceLines(JarFile jar, String service) throws IOException {
        JarEntry e = jar.getJarEntry("META-INF/services/" + service);
        if (e == null) {
            return Set.of();
        }
        try (InputStream in = jar.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toSet());
        }
    }
}
