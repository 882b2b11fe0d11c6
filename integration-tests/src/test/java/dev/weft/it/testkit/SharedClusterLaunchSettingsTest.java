package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.it.TestJobs;
import dev.weft.testkit.FaultPoint;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 on a real cluster: the job's configuration ({@code -conf}, {@code -D}), {@code -files}, {@code -archives}
 * and a {@code -libjars} jar reach the tasks on executors; the container knobs reach the containers; an executor that
 * cannot start fails the job in bounded time naming its cause; a node label the cluster lacks is refused before
 * anything is submitted. Shares the cluster of {@link SharedClusterWordCountTest}.
 */
@WeftCluster(shared = true)
class SharedClusterLaunchSettingsTest {
    /** A file system whose scheme exists only in the -libjars jar: tasks can read through it only with that jar. */
    private static final String ECHO_FS_SOURCE = "package libjar;\n"
            + "public class EchoFileSystem extends org.apache.hadoop.fs.RawLocalFileSystem {\n"
            + "  @Override public java.net.URI getUri() { return java.net.URI.create(\"weftecho:///\"); }\n"
            + "  @Override public String getScheme() { return \"weftecho\"; }\n"
            + "}\n";

    private final WeftTestCluster cluster;

    SharedClusterLaunchSettingsTest(WeftTestCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void settingsFilesArchivesAndALibjarReachEveryTaskAndTheKnobsReachTheContainers(@TempDir java.nio.file.Path dir)
            throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path output = new Path("/testkit/launch-settings/out");
        java.nio.file.Path libjar = compileEchoFileSystem(dir);
        java.nio.file.Path confFile = Files.writeString(
                dir.resolve("job-extra.xml"),
                "<configuration><property><name>it.from-conf-file</name><value>conf-value</value></property>"
                        + "</configuration>");
        java.nio.file.Path lookup = Files.writeString(dir.resolve("lookup.txt"), "lookup-value\n");
        java.nio.file.Path dict = dir.resolve("dict.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dict))) {
            zip.putNextEntry(new ZipEntry("words/one.txt"));
            zip.write("archive-value\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        // A file on the nodes' local disk, read in tasks through the -libjars scheme only.
        List<String> echoLines = List.of("alpha", "beta", "gamma");
        java.nio.file.Path echoInput = Files.write(dir.resolve("echo-input.txt"), echoLines);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SubmittedJob job;
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new TeeStream(stdout, printed), true, StandardCharsets.UTF_8));
        try {
            job = cluster.submit(
                    TestJobs.LaunchSettingsProbe.class,
                    List.of(FaultPoint.jobSucceeded(0)),
                    "-conf",
                    confFile.toString(),
                    "-D",
                    "it.from-dash-d=dash-d-value",
                    "-D",
                    "fs.weftecho.impl=libjar.EchoFileSystem",
                    "-libjars",
                    libjar.toString(),
                    "-files",
                    lookup.toString(),
                    "-archives",
                    dict.toString(),
                    "-D",
                    "weft.yarn.uber.enabled=false",
                    "-D",
                    "weft.executor.env=IT_ENV=executor-env",
                    "-D",
                    "weft.driver.env=IT_ENV=driver-env",
                    "-D",
                    "weft.executor.extra-java-options=-Dit.javaopt=executor-opt '-Dit.unused=a b'",
                    "-D",
                    "weft.driver.extra-java-options=-Dit.javaopt=driver-opt",
                    "-D",
                    "weft.executor.memory-overhead=500m",
                    "-D",
                    "weft.yarn.tags=IT-Launch,nightly",
                    output.toString(),
                    "weftecho://" + echoInput.toAbsolutePath());
            List<ContainerReport> executorContainers = new ArrayList<>();
            job.at(FaultPoint.jobSucceeded(0), Duration.ofMinutes(3), () -> {
                for (ApplicationAttemptReport a :
                        cluster.yarnClient().getApplicationAttempts(job.executorApplication())) {
                    executorContainers.addAll(cluster.yarnClient().getContainers(a.getApplicationAttemptId()));
                }
            });
            JobOutcome outcome = job.await(Duration.ofMinutes(4));
            assertEquals(0, outcome.exitCode(), outcome::toString);

            // Memory overhead: the RM's own report of each executor container (heap 384 MiB + 500 MiB, rounded up
            // to the 128 MiB allocation step), not the default 384 + 384.
            assertTrue(executorContainers.size() >= 1, executorContainers.toString());
            for (ContainerReport c : executorContainers) {
                long mb = c.getAllocatedResource().getMemorySize();
                assertTrue(mb >= 884 && mb < 884 + 128, c.getContainerId() + " has " + mb + " MiB");
            }
            // Tags, on both applications, lower-cased as YARN stores them.
            assertTrue(
                    outcome.driver().getApplicationTags().containsAll(List.of("it-launch", "nightly")),
                    outcome::toString);
            assertTrue(outcome.executors().getApplicationTags().contains("it-launch"), outcome::toString);
            assertTrue(
                    outcome.executors().getName().startsWith(job.applicationName()),
                    outcome.executors().getName());

            // Every task saw the job's settings and files on an executor; the driver too, with its own knobs.
            String executorView =
                    "conf-value|dash-d-value|lookup-value|archive-value|executor-env|executor-opt|executor";
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                expected.add("task " + executorView);
            }
            echoLines.forEach(l -> expected.add("echo " + l));
            expected.add("driver conf-value|dash-d-value|lookup-value|archive-value|driver-env|driver-opt|driver");
            assertEquals(
                    expected.stream().sorted().toList(),
                    readLines(fs, output).stream().sorted().toList());

            // Both application ids, and the commands that fetch their logs, are printed.
            String said = printed.toString(StandardCharsets.UTF_8);
            ApplicationId executors = outcome.executors().getApplicationId();
            assertTrue(said.contains("executors run in application " + executors), said);
            assertTrue(
                    said.contains("yarn logs -applicationId " + outcome.driver().getApplicationId() + " (driver)")
                            && said.contains("yarn logs -applicationId " + executors + " (executors)"),
                    said);
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void anExecutorWhoseJvmCannotStartFailsTheJobNamingTheOptionAndTheLogs() throws Exception {
        JobOutcome outcome = cluster.submit(
                        TestJobs.FailingJob.class,
                        "-D",
                        "weft.yarn.uber.enabled=false",
                        "-D",
                        "weft.executor.instances=1",
                        "-D",
                        "weft.executor.extra-java-options=-XX:+WeftNoSuchJvmOption")
                .await(Duration.ofMinutes(4));
        assertEquals(1, outcome.exitCode(), outcome::toString);
        String diagnostics = outcome.driver().getDiagnostics();
        assertTrue(diagnostics.contains("executors failed"), diagnostics);
        assertTrue(diagnostics.contains("exit code 1"), diagnostics);
        assertTrue(diagnostics.contains("WeftNoSuchJvmOption"), diagnostics);
        assertTrue(
                diagnostics.contains(
                        "yarn logs -applicationId " + outcome.executors().getApplicationId()),
                diagnostics);
    }

    @Test
    void aNodeLabelTheClusterLacksIsRefusedBeforeAnythingIsSubmitted() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new TeeStream(stdout, printed), true, StandardCharsets.UTF_8));
        JobOutcome outcome;
        try {
            outcome = cluster.submit(TestJobs.EmptyProgram.class, "-D", "weft.yarn.executor.node-label-expression=gpu")
                    .await(Duration.ofMinutes(2));
        } finally {
            System.setOut(stdout);
        }
        assertEquals(2, outcome.exitCode(), outcome::toString);
        assertNull(outcome.driver(), "no application was submitted: " + outcome);
        String said = printed.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("node label 'gpu' (weft.yarn.executor.node-label-expression) does not exist"), said);
    }

    /** Compiles {@link #ECHO_FS_SOURCE} against this JVM's class path into a jar of its own. */
    private static java.nio.file.Path compileEchoFileSystem(java.nio.file.Path dir) throws IOException {
        java.nio.file.Path src =
                Files.createDirectories(dir.resolve("src/libjar")).resolve("EchoFileSystem.java");
        Files.writeString(src, ECHO_FS_SOURCE);
        java.nio.file.Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(
                null,
                errors,
                errors,
                "-classpath",
                System.getProperty("java.class.path"),
                "-d",
                classes.toString(),
                src.toString());
        assertEquals(0, rc, errors.toString(StandardCharsets.UTF_8));
        java.nio.file.Path jar = dir.resolve("echo-fs.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("libjar/EchoFileSystem.class"));
            out.write(Files.readAllBytes(classes.resolve("libjar/EchoFileSystem.class")));
            out.closeEntry();
        }
        return jar;
    }

    private static List<String> readLines(FileSystem fs, Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dir)) {
            if (st.getPath().getName().startsWith("part-")) {
                try (java.io.BufferedReader r = new java.io.BufferedReader(
                        new java.io.InputStreamReader(fs.open(st.getPath()), StandardCharsets.UTF_8))) {
                    r.lines().forEach(lines::add);
                }
            }
        }
        return lines;
    }

    /** Writes to two streams: the test's console and what the test reads back. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
