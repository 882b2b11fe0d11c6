package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.FaultPoint;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import dev.weft.transport.auth.AuthSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.junit.jupiter.api.Test;

/**
 * The application's secret reaches its containers through their credentials only: while a job runs (paused after its
 * map stage), no container's environment or command line (read from {@code /proc}) and no launch script the
 * NodeManagers wrote holds it, in any encoding, while the containers' token files do. Shares its cluster with the
 * other {@code SharedCluster*} classes.
 */
@WeftCluster(shared = true)
class SharedClusterSecretsTest {
    @Test
    void theSecretIsInNoContainersEnvironmentCommandLineOrLaunchScript(WeftTestCluster cluster) throws Exception {
        Path input = new Path("/testkit/secrets/words.txt");
        Path output = new Path("/testkit/secrets/out");
        Demo.writeText(cluster.fileSystem(), input, 5_000, 37);
        List<String> expected = Reference.wordCountLines(cluster.fileSystem(), input);
        FaultPoint mapsDone = FaultPoint.stageSucceeded(0);
        SubmittedJob job = cluster.submit(WordCount.class, List.of(mapsDone), input.toString(), output.toString());
        List<String> scanned = new ArrayList<>();
        job.at(mapsDone, Duration.ofMinutes(3), () -> scanned.addAll(scan(cluster, job)));
        JobOutcome outcome = job.await(Duration.ofMinutes(4));
        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
        System.out.println("secrets: scanned " + scanned);
    }

    private static List<String> scan(WeftTestCluster cluster, SubmittedJob job) throws Exception {
        String driverApp = job.driverApplication().toString();
        List<java.nio.file.Path> tokenFiles = new ArrayList<>();
        List<java.nio.file.Path> scripts = new ArrayList<>();
        for (java.nio.file.Path local : cluster.nodeManagerLocalDirs()) {
            java.nio.file.Path nmPrivate = local.resolve("nmPrivate");
            if (!Files.isDirectory(nmPrivate)) {
                continue;
            }
            try (Stream<java.nio.file.Path> files = Files.walk(nmPrivate)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".tokens")) {
                        tokenFiles.add(f);
                    } else if (name.endsWith(".sh")) {
                        scripts.add(f);
                    }
                });
            }
        }
        byte[] secret = null;
        for (java.nio.file.Path tokens : tokenFiles) {
            if (tokens.toString().contains(driverApp.replace("application_", ""))) {
                Credentials creds =
                        Credentials.readTokenStorageFile(new Path(tokens.toUri()), new Configuration(false));
                byte[] key = creds.getSecretKey(new Text(AuthSecret.CREDENTIALS_ALIAS));
                if (key != null) {
                    secret = key;
                }
            }
        }
        assertNotNull(secret, "the driver's container got the secret in its credentials: " + tokenFiles);
        List<String> forms = List.of(
                Base64.getEncoder().encodeToString(secret),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                HexFormat.of().formatHex(secret),
                new String(secret, StandardCharsets.ISO_8859_1));
        assertFalse(scripts.isEmpty(), "the NodeManagers' launch scripts of the running containers");
        for (java.nio.file.Path script : scripts) {
            String text = Files.readString(script, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(AuthSecret.ENV_VAR), script + " sets " + AuthSecret.ENV_VAR);
            for (String form : forms) {
                assertFalse(text.contains(form), script + " holds the secret");
            }
        }
        int processes = 0;
        try (Stream<java.nio.file.Path> procs = Files.list(java.nio.file.Path.of("/proc"))) {
            for (java.nio.file.Path proc : procs.filter(
                            p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                String environ = read(proc.resolve("environ"));
                if (environ == null || !environ.contains("WEFT_ROLE=")) {
                    continue; // not one of Weft's containers (or gone meanwhile)
                }
                processes++;
                String cmdline = read(proc.resolve("cmdline"));
                assertFalse(environ.contains(AuthSecret.ENV_VAR), proc + "'s environment has " + AuthSecret.ENV_VAR);
                for (String form : forms) {
                    assertFalse(environ.contains(form), proc + "'s environment holds the secret");
                    assertFalse(cmdline != null && cmdline.contains(form), proc + "'s command line holds the secret");
                }
            }
        }
        assertTrue(processes >= 2, "the driver's and executors' processes were scanned: " + processes);
        // The shuffle service's key is not the secret: a NodeManager never holds the key of the driver RPC.
        AuthSecret derived = new AuthSecret(secret).derive(AuthSecret.SHUFFLE);
        assertFalse(java.util.Arrays.equals(secret, derived.bytes()));
        assertArrayEquals(
                derived.bytes(),
                new AuthSecret(secret).derive(AuthSecret.SHUFFLE).bytes());
        return List.of(
                tokenFiles.size() + " token files", scripts.size() + " launch scripts", processes + " processes");
    }

    private static String read(java.nio.file.Path procFile) {
        try {
            return new String(Files.readAllBytes(procFile), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException | SecurityException e) {
            return null; // the process ended, or belongs to someone else
        }
    }
}
