package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.shuffle.format.ShuffleServiceMetadata;
import dev.weft.transport.auth.AuthSecret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.URL;
import org.junit.jupiter.api.Test;

class ContainerLauncherTest {
    private static final AuthSecret SECRET =
            new AuthSecret(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
    private static final Map<String, LocalResource> JARS = Map.of(
            "app.jar",
            LocalResource.newInstance(
                    URL.newInstance("hdfs", "nn", 8020, "/staging/app.jar"),
                    LocalResourceType.FILE,
                    LocalResourceVisibility.APPLICATION,
                    123,
                    456));

    private final TestingExecutorApplication app = new TestingExecutorApplication();
    private final ExecutorRegistry registry = new ExecutorRegistry(1, Ticker.SYSTEM);

    private ContainerLauncher launcher(boolean shuffleService) {
        Configuration conf = new Configuration(false);
        if (shuffleService) {
            conf.set("yarn.nodemanager.aux-services", "mapreduce_shuffle," + ShuffleServiceData.SERVICE);
        }
        return new ContainerLauncher(
                app,
                conf,
                () -> JARS,
                SECRET,
                new ContainerLauncher.ExecutorSpec(
                        new ContainerOptions("executor", 4L << 30, 384L << 20, List.of(), Map.of(), null),
                        3,
                        1L << 30,
                        InetSocketAddress.createUnresolved("driver.example", 4040),
                        TestingExecutorApplication.APP),
                registry,
                Runnable::run);
    }

    @Test
    void startsTheExecutorMainWithTheDriverAddressAndTheSecretInItsCredentialsOnly() throws Exception {
        Container c = app.container("h1");
        launcher(false).launch(c, "exec-1");
        assertEquals(1, app.started.size());
        ContainerLaunchContext clc = app.started.get(0);
        assertEquals(JARS, clc.getLocalResources());
        assertFalse(clc.getEnvironment().containsKey("WEFT_AUTH_SECRET"), "no secret in the environment");
        assertFalse(String.join(" ", clc.getCommands()).contains(SECRET.toBase64()), "no secret on the command line");
        org.apache.hadoop.security.Credentials creds = new org.apache.hadoop.security.Credentials();
        ByteBuffer tokens = clc.getTokens().duplicate();
        byte[] bytes = new byte[tokens.remaining()];
        tokens.get(bytes);
        creds.readTokenStorageStream(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes)));
        assertEquals(
                ByteBuffer.wrap(SECRET.bytes()),
                ByteBuffer.wrap(creds.getSecretKey(new org.apache.hadoop.io.Text(AuthSecret.CREDENTIALS_ALIAS))),
                "the secret is a secret key of the container's credentials");
        assertEquals("executor", clc.getEnvironment().get("WEFT_ROLE"));
        assertTrue(
                clc.getEnvironment().get("CLASSPATH").startsWith("{{PWD}}"),
                clc.getEnvironment().toString());
        assertEquals(
                ContainerSpecs.javaCommand(
                        4096,
                        "dev.weft.executor.ExecutorMain",
                        List.of(
                                "--driver", "driver.example:4040",
                                "--executor-id", "exec-1",
                                "--cores", "3",
                                "--memory-budget", Long.toString(1L << 30),
                                "--app-id", TestingExecutorApplication.APP.toString())),
                clc.getCommands());
        assertTrue(clc.getServiceData() == null || clc.getServiceData().isEmpty(), "no service, no service data");
        assertEquals(List.of(), app.released);
    }

    @Test
    void handsTheShuffleKeyNotTheSecretToTheShuffleServiceAndRecordsItsPort() {
        app.startResponse = Map.of(ShuffleServiceData.SERVICE, new ShuffleServiceMetadata(7337).encode());
        launcher(true).launch(app.container("h1"), "exec-1");
        ByteBuffer data = app.started.get(0).getServiceData().get(ShuffleServiceData.SERVICE);
        byte[] secret = new byte[data.remaining()];
        data.duplicate().get(secret);
        assertEquals(ByteBuffer.wrap(SECRET.derive(AuthSecret.SHUFFLE).bytes()), ByteBuffer.wrap(secret));
        assertFalse(ByteBuffer.wrap(SECRET.bytes()).equals(ByteBuffer.wrap(secret)), "the NodeManager never holds it");
        assertEquals(7337, registry.shuffleServicePort("exec-1"));
    }

    @Test
    void aServiceThatDidNotStartLeavesTheExecutorServingItsOwnOutput() {
        app.startResponse = Map.of();
        launcher(true).launch(app.container("h1"), "exec-1");
        assertNull(registry.shuffleServicePort("exec-1"));
        assertTrue(registry.outputLostWith("exec-1"));
    }

    @Test
    void releasesAContainerThatCannotBeStarted() {
        app.startFailure = new IOException("NodeManager h1 is down");
        Container c = app.container("h1");
        launcher(true).launch(c, "exec-1");
        assertEquals(List.of(c.getId()), app.released);
        assertNull(registry.shuffleServicePort("exec-1"));
    }
}
