package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.client.BlockClient;
import dev.weft.transport.client.FetchedBlock;
import dev.weft.transport.client.TransportClientFactory;
import dev.weft.transport.proto.AuthResponse;
import dev.weft.transport.proto.Envelope;
import dev.weft.transport.protocol.AuthCodes;
import dev.weft.transport.protocol.Protocol;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * A cluster whose shuffle services accept sealed connections only ({@code weft.shuffle.transport.integrity=true} in
 * the NodeManagers' configuration, the default on a Kerberized cluster): a job whose driver also requires sealed
 * executor connections ({@code weft.rpc.integrity=true}) ends with exact output, every executor registered over a
 * sealed connection and every block it fetched came through the service (which serves sealed connections only);
 * a client that does not seal is refused with SEALING_REQUIRED, though it holds the application's key.
 */
@WeftCluster(nodeManagers = 2, dataNodes = 1, shuffleIntegrity = true)
class SealedShuffleTest {
    private static final String ALL_SERVICES = "WeftShuffleService*";
    private static final Pattern REGISTERED =
            Pattern.compile("executor \\S+ registered from .*, (sealed|unsealed) connection\\)");

    @Test
    void aJobWithIntegrityOnBothProtocolsIsExactAndSealedThroughout(WeftTestCluster cluster) throws Exception {
        Path input = new Path("/sealed/words.txt");
        Path output = new Path("/sealed/out");
        Demo.writeText(cluster.fileSystem(), input, 20_000, 17);
        List<String> expected = Reference.wordCountLines(cluster.fileSystem(), input);
        long servedBefore = serviceCounter(ALL_SERVICES, "FetchesServed");

        JobOutcome outcome = cluster.submit(
                        WordCount.class, "-D", "weft.rpc.integrity=true", input.toString(), output.toString())
                .await(Duration.ofMinutes(4));

        assertEquals(0, outcome.exitCode(), outcome::toString);
        WeftAssertions.assertTextOutputEquals(cluster.fileSystem(), output, expected);
        WeftAssertions.assertCommitted(cluster.fileSystem(), output);
        Matcher m = REGISTERED.matcher(outcome.driverLogs().get(0).read("driver.log"));
        int registrations = 0;
        while (m.find()) {
            registrations++;
            assertEquals("sealed", m.group(1), m.group());
        }
        assertTrue(registrations >= 1, "the driver logged its executors' registrations");
        long served = awaitServiceCounter(ALL_SERVICES, "FetchesServed", servedBefore + 1) - servedBefore;
        assertTrue(served >= 1, "the reducers fetched through the NodeManagers' services: " + served);
    }

    @Test
    void aClientThatDoesNotSealIsRefusedAndOneThatSealsIsServedExactly(WeftTestCluster cluster) throws Exception {
        byte[] partition = "a partition only a sealed connection may carry".getBytes(StandardCharsets.UTF_8);
        try (ShuffleTenant tenant = ShuffleTenant.register(cluster, 5151)) {
            tenant.writeOutput(0, partition);
            String app = tenant.app().toString();
            try (Socket socket = new Socket("127.0.0.1", tenant.port())) {
                socket.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                Envelope challenge = ShuffleFlood.readFrame(in);
                assertTrue(challenge.getAuthChallenge().getIntegrityRequired(), challenge.toString());
                byte[] serverNonce =
                        challenge.getAuthChallenge().getServerNonce().toByteArray();
                // A correct proof from a holder of the key, for a connection that stays plaintext.
                ShuffleFlood.send(
                        out,
                        Protocol.authResponse(AuthResponse.newBuilder()
                                .setAppId(app)
                                .setMac(ByteString.copyFrom(
                                        AuthCodes.clientMac(tenant.secret(), serverNonce, false, app)))
                                .setClientNonce(ByteString.copyFrom(new byte[AuthCodes.NONCE_BYTES]))
                                .setSeal(false)
                                .build()));
                Envelope answer = ShuffleFlood.readFrame(in);
                assertEquals(
                        ErrorCode.SEALING_REQUIRED,
                        Protocol.fromWire(answer.getError().getCode()),
                        answer::toString);
                assertEquals(-1, in.read(), "the service closed the connection");
            }
            // The same key over a connection that seals (the client's own setting is off: it follows the service).
            try (TransportClientFactory clients = new TransportClientFactory(TransportConfig.defaults());
                    BlockClient client = clients.connect("127.0.0.1", tenant.port(), app, tenant.secret())) {
                List<FetchedBlock> blocks = client.fetch(0, 0, 0, 0).get(30, TimeUnit.SECONDS);
                byte[] actual = new byte[(int) blocks.get(0).length()];
                blocks.get(0).data().get(actual);
                assertArrayEquals(partition, actual);
            }
            assertTrue(
                    awaitServiceCounter("WeftShuffleService-" + tenant.port(), "Errors_SEALING_REQUIRED", 1) >= 1,
                    "the refusal is counted by that NodeManager's service");
        }
    }

    /**
     * The sum of one counter over the shuffle services in this JVM whose metrics source is named {@code source} (JMX;
     * in a mini cluster each NodeManager's service registers as {@code WeftShuffleService-<port>}).
     */
    private static long serviceCounter(String source, String attribute) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        long sum = 0;
        for (ObjectName name : jmx.queryNames(new ObjectName("Hadoop:service=*,name=" + source), null)) {
            sum += ((Number) jmx.getAttribute(name, attribute)).longValue();
        }
        return sum;
    }

    /** Waits (JMX refreshes once per period) until the counter reaches {@code atLeast}; returns its last value. */
    private static long awaitServiceCounter(String source, String attribute, long atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long value = serviceCounter(source, attribute);
        while (value < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(500);
            value = serviceCounter(source, attribute);
        }
        return value;
    }
}
