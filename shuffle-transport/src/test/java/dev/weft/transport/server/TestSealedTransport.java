package dev.weft.transport.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.transport.ByteSearch;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.InMemorySecretStore;
import dev.weft.transport.LeakTracking;
import dev.weft.transport.TestingBlockResolver;
import dev.weft.transport.TestingBlockResolver.MapOutput;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportException;
import dev.weft.transport.TransportMetrics;
import dev.weft.transport.client.BlockClient;
import dev.weft.transport.client.FetchedBlock;
import dev.weft.transport.client.TransportClientFactory;
import dev.weft.transport.proto.Envelope;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealed shuffle connections on a real server on loopback, real files, real clients, with a proxy between client and
 * server where a test needs to watch or alter the bytes on the wire.
 */
class TestSealedTransport {
    static {
        LeakTracking.install();
    }

    private static final String APP = "app_1";
    private static final byte[] SECRET = "secret-of-app-1".getBytes(StandardCharsets.UTF_8);
    /** Blocks of every size class: empty, tiny, one record, several records (64 KiB each). */
    private static final int[] SIZES = {0, 1, 65_536, 300_000, 17};

    @TempDir
    Path dir;

    private BlockServer server;
    private TransportMetrics metrics;
    private TransportClientFactory clients;
    private MapOutput output;

    private void start(boolean serverRequires, boolean clientSeals) throws Exception {
        Map<String, String> timeouts =
                Map.of(TransportConfig.FETCH_TIMEOUT, "10000", TransportConfig.CONNECT_TIMEOUT, "5000");
        TransportConfig base = TransportConfig.fromMap(timeouts);
        TestingBlockResolver resolver = new TestingBlockResolver(dir);
        output = resolver.write(APP, 1, 2, 0, SIZES, 42);
        InMemorySecretStore secrets = new InMemorySecretStore();
        secrets.register(APP, SECRET);
        metrics = new TransportMetrics();
        server = new BlockServer(resolver, secrets, base.withIntegrity(serverRequires), metrics);
        server.start("127.0.0.1", 0);
        clients = new TransportClientFactory(base.withIntegrity(clientSeals));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.close();
        }
        LeakTracking.assertNoLeaks();
    }

    private void assertExact(List<FetchedBlock> blocks) {
        assertEquals(SIZES.length, blocks.size());
        for (int i = 0; i < SIZES.length; i++) {
            byte[] actual = new byte[(int) blocks.get(i).length()];
            blocks.get(i).data().get(actual);
            assertArrayEquals(output.partitions()[i], actual, "reduce " + i);
        }
    }

    private static int[] allReduceIds() {
        return java.util.stream.IntStream.range(0, SIZES.length).toArray();
    }

    private static TransportException failure(java.util.concurrent.CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(TransportException.class, e.getCause());
    }

    @Test
    void eitherSideAskingSealsTheConnectionAndTheDataArrivesExact() throws Exception {
        for (boolean[] sides : new boolean[][] {{true, false}, {false, true}, {true, true}}) {
            start(sides[0], sides[1]);
            try (TamperingProxy proxy = new TamperingProxy(server.port(), TamperingProxy.Direction.TO_CLIENT, -1);
                    BlockClient client = clients.connect("127.0.0.1", proxy.port(), APP, SECRET)) {
                assertExact(client.fetch(1, 2, 0, allReduceIds()).get(10, TimeUnit.SECONDS));
                // Sealed, hence unreadable on the wire: no 32-byte run of the largest block appears in what was sent.
                byte[] largest = output.partitions()[3];
                byte[] wire = proxy.fromServer();
                assertTrue(wire.length > largest.length, "the blocks went through the proxy");
                assertEquals(
                        -1, ByteSearch.indexOf(wire, Arrays.copyOfRange(largest, 1000, 1032)), "server " + sides[0]);
            }
            tearDown();
        }
        clients = null;
        server = null;
    }

    @Test
    void anUnsealedConnectionCarriesPlainBytes() throws Exception {
        // The control for the test above: without integrity the block's bytes are on the wire as they are.
        start(false, false);
        try (TamperingProxy proxy = new TamperingProxy(server.port(), TamperingProxy.Direction.TO_CLIENT, -1);
                BlockClient client = clients.connect("127.0.0.1", proxy.port(), APP, SECRET)) {
            assertExact(client.fetch(1, 2, 0, allReduceIds()).get(10, TimeUnit.SECONDS));
            assertTrue(ByteSearch.indexOf(proxy.fromServer(), Arrays.copyOfRange(output.partitions()[3], 1000, 1032))
                    >= 0);
        }
    }

    @Test
    void aServerRequiringIntegrityRefusesAPlaintextClient() throws Exception {
        start(true, false);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            RawPeer peer = new RawPeer(socket);
            Envelope answer = peer.authenticate(APP, SECRET, false);
            assertTrue(answer.hasError(), answer.toString());
            assertEquals(
                    ErrorCode.SEALING_REQUIRED,
                    dev.weft.transport.protocol.Protocol.fromWire(
                            answer.getError().getCode()));
            assertTrue(answer.getError().getMessage().contains(TransportConfig.INTEGRITY), answer.toString());
            assertTrue(peer.closedByServer());
        }
        assertEquals(1, metrics.snapshot().errors(ErrorCode.SEALING_REQUIRED));
        assertEquals(0, metrics.snapshot().authSuccesses());
        try (BlockClient client = clients.connect("127.0.0.1", server.port(), APP, SECRET)) {
            assertExact(client.fetch(1, 2, 0, allReduceIds()).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void plaintextSentAfterASealedHandshakeIsNotTakenAsARequest() throws Exception {
        start(false, false);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            RawPeer peer = new RawPeer(socket);
            assertTrue(peer.authenticate(APP, SECRET, true).hasAuthOk());
            peer.sendFetch(APP, 1, 2, 0, 3); // plaintext, though this peer said it would seal
            assertTrue(peer.closedAfterDraining());
        }
        awaitMetric(() -> metrics.snapshot().errors(ErrorCode.INTEGRITY));
        assertEquals(0, metrics.snapshot().fetchesServed(), "nothing was served");
    }

    @Test
    void aFlippedBitOnTheWayToTheClientIsAnIntegrityFailureNotData() throws Exception {
        start(true, true);
        // Well past the handshake (< 200 bytes) and inside the 300,000-byte block.
        try (TamperingProxy proxy = new TamperingProxy(server.port(), TamperingProxy.Direction.TO_CLIENT, 150_000);
                BlockClient client = clients.connect("127.0.0.1", proxy.port(), APP, SECRET)) {
            TransportException e = failure(client.fetch(1, 2, 0, allReduceIds()));
            assertEquals(ErrorCode.INTEGRITY, e.code(), e.getMessage());
            assertTrue(e.code().retriable(), "a new connection may succeed");
        }
        try (BlockClient client = clients.connect("127.0.0.1", server.port(), APP, SECRET)) {
            assertExact(client.fetch(1, 2, 0, allReduceIds()).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFlippedBitOnTheWayToTheServerIsRefusedWithItsCode() throws Exception {
        start(true, true);
        // The first byte after the plaintext handshake the client sends (its AuthResponse frame) is in the sealed
        // fetch request: flip a bit of the request's ciphertext.
        long handshakeBytes = 4 + authResponseSize();
        try (TamperingProxy proxy =
                        new TamperingProxy(server.port(), TamperingProxy.Direction.TO_SERVER, handshakeBytes + 10);
                BlockClient client = clients.connect("127.0.0.1", proxy.port(), APP, SECRET)) {
            TransportException e = failure(client.fetch(1, 2, 0, 3));
            assertEquals(ErrorCode.INTEGRITY, e.code(), e.getMessage());
        }
        awaitMetric(() -> metrics.snapshot().errors(ErrorCode.INTEGRITY));
        assertEquals(0, metrics.snapshot().fetchesServed());
    }

    /** The serialized size of the client's AuthResponse envelope (fixed: nonce and MAC lengths are fixed). */
    private static int authResponseSize() {
        return dev.weft.transport.protocol.Protocol.authResponse(dev.weft.transport.proto.AuthResponse.newBuilder()
                        .setAppId(APP)
                        .setMac(com.google.protobuf.ByteString.copyFrom(new byte[32]))
                        .setClientNonce(com.google.protobuf.ByteString.copyFrom(new byte[32]))
                        .setSeal(true)
                        .build())
                .getSerializedSize();
    }

    private static void awaitMetric(java.util.function.LongSupplier value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (value.getAsLong() < 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not count the failure within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
