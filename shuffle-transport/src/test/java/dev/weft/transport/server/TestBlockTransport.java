package dev.weft.transport.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.transport.BlockCorruptionException;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.InMemorySecretStore;
import dev.weft.transport.LeakTracking;
import dev.weft.transport.TestingBlockResolver;
import dev.weft.transport.TestingBlockResolver.MapOutput;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportException;
import dev.weft.transport.TransportMetrics;
import dev.weft.transport.client.BlockClient;
import dev.weft.transport.client.BlockDownloads;
import dev.weft.transport.client.FetchedBlock;
import dev.weft.transport.client.TransportClientFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server on 127.0.0.1, real files, real clients. */
class TestBlockTransport {
    static {
        LeakTracking.install();
    }

    private static final String APP = "app_1";
    private static final String OTHER_APP = "app_2";
    private static final byte[] SECRET = "secret-of-app-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "secret-of-app-2".getBytes(StandardCharsets.UTF_8);
    private static final int[] SIZES = {0, 1, 4096, 100_000, 17, 300_000};

    @TempDir
    Path dir;

    private BlockServer server;
    private TransportMetrics metrics;
    private TransportClientFactory clients;
    private TestingBlockResolver resolver;
    private MapOutput output;

    private void start(Map<String, String> overrides) throws Exception {
        Map<String, String> properties = new HashMap<>(overrides);
        properties.putIfAbsent(TransportConfig.FETCH_TIMEOUT, "10000");
        properties.putIfAbsent(TransportConfig.CONNECT_TIMEOUT, "5000");
        TransportConfig config = TransportConfig.fromMap(properties);
        resolver = new TestingBlockResolver(dir);
        output = resolver.write(APP, 1, 2, 0, SIZES, 99);
        resolver.write(OTHER_APP, 1, 2, 0, SIZES, 100);
        InMemorySecretStore secrets = new InMemorySecretStore();
        secrets.register(APP, SECRET);
        secrets.register(OTHER_APP, OTHER_SECRET);
        metrics = new TransportMetrics();
        server = new BlockServer(resolver, secrets, config, metrics);
        server.start("127.0.0.1", 0);
        clients = new TransportClientFactory(config);
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

    private BlockClient connect() throws TransportException {
        return clients.connect("127.0.0.1", server.port(), APP, SECRET);
    }

    private void assertBlocks(List<FetchedBlock> blocks, int... reduceIds) {
        assertEquals(reduceIds.length, blocks.size());
        for (int i = 0; i < reduceIds.length; i++) {
            FetchedBlock block = blocks.get(i);
            assertEquals(reduceIds[i], block.reduceId());
            byte[] actual = new byte[(int) block.length()];
            block.data().get(actual);
            assertArrayEquals(output.partitions()[reduceIds[i]], actual, "reduce " + reduceIds[i]);
        }
    }

    /** Proves the server is healthy: a fresh connection fetches every partition exactly. */
    private void assertServesCorrectly() throws Exception {
        try (BlockClient client = connect()) {
            assertBlocks(client.fetch(1, 2, 0, 0, 1, 2, 3, 4, 5).get(10, TimeUnit.SECONDS), 0, 1, 2, 3, 4, 5);
        }
    }

    private void awaitNoOpenConnections() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (metrics.snapshot().openConnections() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server still counts an open connection 10 s after the client closed");
            }
            Thread.sleep(5);
        }
    }

    private static TransportException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(TransportException.class, e.getCause());
    }

    private List<String> downloadedFiles(Path downloads) throws Exception {
        if (!java.nio.file.Files.isDirectory(downloads)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(downloads)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void blocksAboveTheDownloadThresholdArriveInFilesThatGoWithTheirStreams() throws Exception {
        start(Map.of());
        Path downloads = dir.resolve("downloads");
        clients.close();
        clients = new TransportClientFactory(
                TransportConfig.fromMap(Map.of(TransportConfig.FETCH_TIMEOUT, "10000")),
                new BlockDownloads(downloads, 50_000));
        try (BlockClient client = connect()) {
            List<FetchedBlock> blocks = client.fetch(1, 2, 0, 2, 3, 5).get(10, TimeUnit.SECONDS);
            assertEquals(
                    List.of(false, true, true),
                    blocks.stream().map(FetchedBlock::onDisk).toList());
            assertEquals(2, downloadedFiles(downloads).size(), "one file per large block");
            for (FetchedBlock block : blocks) {
                try (java.io.InputStream in = block.openStream()) {
                    assertArrayEquals(output.partitions()[block.reduceId()], in.readAllBytes(), block.toString());
                }
            }
            assertEquals(List.of(), downloadedFiles(downloads), "each file is deleted when its stream closes");
            assertThrows(IllegalStateException.class, () -> blocks.get(1).data(), "a block on disk has no heap view");
        }
    }

    @Test
    void aCorruptBlockOnItsWayToDiskFailsTheFetchAndLeavesNoFile() throws Exception {
        start(Map.of());
        Path downloads = dir.resolve("downloads");
        clients.close();
        clients = new TransportClientFactory(
                TransportConfig.fromMap(Map.of(TransportConfig.FETCH_TIMEOUT, "10000")),
                new BlockDownloads(downloads, 50_000));
        try (RandomAccessFile file = new RandomAccessFile(output.data().toFile(), "rw")) {
            long position = output.offsets()[5] + 200_000;
            file.seek(position);
            int b = file.read();
            file.seek(position);
            file.write(b ^ 0x01);
        }
        try (BlockClient client = connect()) {
            TransportException e = failure(client.fetch(1, 2, 0, 3, 5));
            assertInstanceOf(BlockCorruptionException.class, e);
            assertEquals(
                    List.of(),
                    downloadedFiles(downloads),
                    "neither the corrupt block's file nor the good block fetched before it is left");
        }
    }

    @Test
    void multiPartitionFetchReturnsExactBytes() throws Exception {
        start(Map.of());
        try (BlockClient client = connect()) {
            assertBlocks(client.fetch(1, 2, 0, 5, 3, 0, 2).get(10, TimeUnit.SECONDS), 5, 3, 0, 2);
            assertBlocks(client.fetch(1, 2, 0, 1).get(10, TimeUnit.SECONDS), 1);
        }
        // The server counts a block once its write completes, which may be after the client has the bytes; it
        // notices the closed connection on the same event loop, after that, so wait for the close.
        awaitNoOpenConnections();
        var snapshot = metrics.snapshot();
        assertEquals(5, snapshot.blocksServed());
        assertEquals(300_000 + 100_000 + 4096 + 1, snapshot.bytesServed());
        assertEquals(2, snapshot.fetchesServed());
        assertEquals(1, snapshot.authSuccesses());
    }

    @Test
    void refusalsCarryTheirCodeAndAreCounted() throws Exception {
        start(Map.of());
        TransportException wrongSecret = assertThrows(
                TransportException.class,
                () -> clients.connect("127.0.0.1", server.port(), APP, "wrong".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.AUTH_FAILED, wrongSecret.code());

        TransportException unknownApp = assertThrows(
                TransportException.class, () -> clients.connect("127.0.0.1", server.port(), "app_unknown", SECRET));
        assertEquals(ErrorCode.AUTH_FAILED, unknownApp.code(), "the same reply as a wrong secret: no oracle");

        try (BlockClient client = connect()) {
            assertEquals(
                    ErrorCode.OUT_OF_RANGE,
                    failure(client.fetch(1, 2, 0, 1, SIZES.length)).code());
            assertEquals(
                    ErrorCode.BLOCK_NOT_FOUND, failure(client.fetch(1, 3, 0, 0)).code());
            assertEquals(
                    ErrorCode.BLOCK_NOT_FOUND, failure(client.fetch(1, 2, 1, 0)).code());
            // Request-level errors keep the connection usable.
            assertBlocks(client.fetch(1, 2, 0, 3).get(10, TimeUnit.SECONDS), 3);
        }

        var snapshot = metrics.snapshot();
        assertEquals(2, snapshot.errors(ErrorCode.AUTH_FAILED));
        assertEquals(0, snapshot.errors(ErrorCode.UNKNOWN_APP));
        assertEquals(1, snapshot.errors(ErrorCode.OUT_OF_RANGE));
        assertEquals(2, snapshot.errors(ErrorCode.BLOCK_NOT_FOUND));
        assertEquals(2, snapshot.authFailures());
        assertServesCorrectly();
    }

    @Test
    void fetchOfAnotherAppsBlocksIsRefused() throws Exception {
        start(Map.of());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            RawPeer peer = new RawPeer(socket);
            peer.authenticate(APP, SECRET);
            peer.sendFetch(OTHER_APP, 1, 2, 0, 0);
            assertEquals(ErrorCode.AUTH_FAILED, peer.readErrorCode());
            assertTrue(peer.closedByServer());
        }
        assertEquals(1, metrics.snapshot().errors(ErrorCode.AUTH_FAILED));
        assertServesCorrectly();
    }

    @Test
    void unauthenticatedFetchIsRefused() throws Exception {
        start(Map.of());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            RawPeer peer = new RawPeer(socket);
            peer.readChallenge();
            peer.sendFetch(APP, 1, 2, 0, 0);
            assertEquals(ErrorCode.NOT_AUTHENTICATED, peer.readErrorCode());
            assertTrue(peer.closedByServer());
        }
        assertEquals(1, metrics.snapshot().errors(ErrorCode.NOT_AUTHENTICATED));
        assertServesCorrectly();
    }

    @Test
    void randomBytesCloseOnlyThatConnection() throws Exception {
        start(Map.of());
        try (BlockClient bystander = connect()) {
            Random random = new Random(1);
            for (int round = 0; round < 5; round++) {
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    socket.setSoTimeout(5000);
                    byte[] garbage = new byte[64 * 1024];
                    random.nextBytes(garbage);
                    OutputStream out = socket.getOutputStream();
                    try {
                        out.write(garbage);
                        out.flush();
                    } catch (java.io.IOException e) {
                        // The server may close before all garbage is written.
                    }
                    InputStream in = socket.getInputStream();
                    try {
                        while (in.read() >= 0) {
                            // Drain the challenge and the error until the server closes.
                        }
                    } catch (java.net.SocketException e) {
                        // Reset after close is fine as well.
                    }
                }
            }
            assertBlocks(bystander.fetch(1, 2, 0, 5, 2).get(10, TimeUnit.SECONDS), 5, 2);
        }
        assertEquals(5, metrics.snapshot().protocolErrors());
        assertServesCorrectly();
    }

    @Test
    void flippedByteIsReportedAsCorruption() throws Exception {
        start(Map.of());
        try (RandomAccessFile file = new RandomAccessFile(output.data().toFile(), "rw")) {
            long position = output.offsets()[3] + 500;
            file.seek(position);
            int b = file.read();
            file.seek(position);
            file.write(b ^ 0x10);
        }
        try (BlockClient client = connect()) {
            TransportException e = failure(client.fetch(1, 2, 0, 2, 3, 5));
            BlockCorruptionException corruption = assertInstanceOf(BlockCorruptionException.class, e);
            assertEquals(ErrorCode.CORRUPT_BLOCK, corruption.code());
            assertEquals(1, corruption.shuffleId());
            assertEquals(2, corruption.mapId());
            assertEquals(3, corruption.reduceId());
            // The stream stays in sync: the next fetch on the same connection works.
            assertBlocks(client.fetch(1, 2, 0, 5, 2).get(10, TimeUnit.SECONDS), 5, 2);
        }
    }

    @Test
    void busyRequestsAreRetriedUntilAllDataArrives() throws Exception {
        start(Map.of(
                TransportConfig.MAX_STREAMS_PER_CONNECTION, "1",
                TransportConfig.BUSY_RETRY_AFTER, "5",
                TransportConfig.MAX_BUSY_RETRIES, "200"));
        try (BlockClient client = connect()) {
            List<CompletableFuture<List<FetchedBlock>>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                futures.add(client.fetch(1, 2, 0, 5, 3, i % SIZES.length));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertBlocks(futures.get(i).get(10, TimeUnit.SECONDS), 5, 3, i % SIZES.length);
            }
        }
        var snapshot = metrics.snapshot();
        assertTrue(snapshot.busyRejections() > 0, "expected BUSY rejections");
        assertEquals(12, snapshot.fetchesServed());
    }

    @Test
    void overServerByteBudgetIsBusy() throws Exception {
        start(Map.of(TransportConfig.MAX_BYTES_IN_FLIGHT_PER_SERVER, "1"));
        // 32 MiB cannot fit in the loopback socket buffers, so the first fetch stays in flight while we do not read.
        int big = 32 << 20;
        resolver.write(APP, 9, 0, 0, new int[] {big}, 5);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            RawPeer peer = new RawPeer(socket);
            peer.authenticate(APP, SECRET);
            peer.sendFetch(1, APP, 9, 0, 0, 0);
            Thread.sleep(300);
            peer.sendFetch(2, APP, 1, 2, 0, 5);
            var header = peer.read();
            assertEquals(big, header.getBlockHeader().getLength());
            peer.skip(big);
            var busy = peer.read();
            assertEquals(
                    ErrorCode.BUSY,
                    dev.weft.transport.protocol.Protocol.fromWire(
                            busy.getError().getCode()));
            assertEquals(2, busy.getError().getRequestId());
            assertTrue(busy.getError().getRetryAfterMs() > 0);
        }
        assertEquals(1, metrics.snapshot().busyRejections());
        assertEquals(1, metrics.snapshot().errors(ErrorCode.BUSY));
        assertServesCorrectly();
    }

    /** Polls a server counter until it has the expected value (the server updates it on its own threads). */
    private void awaitMetric(String what, java.util.function.LongSupplier value, long expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (value.getAsLong() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " is " + value.getAsLong() + ", expected " + expected);
            }
            Thread.sleep(5); // polling a counter the server's threads update
        }
    }

    @Test
    void aRequestForEveryPartitionReadsTheIndexOnceAndHoldsOneFile() throws Exception {
        start(Map.of());
        int partitions = 4096;
        int[] sizes = new int[partitions];
        java.util.Arrays.fill(sizes, 3);
        MapOutput tiny = resolver.write(APP, 7, 0, 0, sizes, 11);
        List<Integer> all = new ArrayList<>();
        for (int r = 0; r < partitions; r++) {
            all.add(r);
        }
        int callsBefore = resolver.resolveCalls();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            RawPeer peer = new RawPeer(socket);
            peer.authenticate(APP, SECRET);
            peer.sendFetch(1, APP, 7, 0, 0, all);
            for (int r = 0; r < partitions; r++) {
                var header = peer.read().getBlockHeader();
                assertEquals(r, header.getReduceId());
                byte[] data = new byte[(int) header.getLength()];
                new java.io.DataInputStream(socket.getInputStream()).readFully(data);
                assertArrayEquals(tiny.partitions()[r], data, "reduce " + r);
            }
        }
        assertEquals(1, resolver.resolveCalls() - callsBefore, "one resolve (one index read) for 4,096 reduce ids");
        awaitMetric("open files", () -> metrics.snapshot().openFiles(), 0);
    }

    @Test
    void openFilesAreBoundedPerApplicationAndReleasedWhenSent() throws Exception {
        start(Map.of(TransportConfig.MAX_OPEN_FILES_PER_APP, "1"));
        int big = 32 << 20; // more than loopback buffers hold: the block stays in flight while nobody reads
        resolver.write(APP, 9, 0, 0, new int[] {big}, 5);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            RawPeer peer = new RawPeer(socket);
            peer.authenticate(APP, SECRET);
            peer.sendFetch(1, APP, 9, 0, 0, 0);
            awaitMetric("open files", () -> metrics.snapshot().openFiles(), 1);
            try (BlockClient other = connect()) {
                TransportException busy = failure(other.fetch(1, 2, 0, 5));
                assertEquals(ErrorCode.BUSY, busy.code());
                assertTrue(busy.getMessage().contains("open files"), busy.getMessage());
            }
            try (BlockClient otherApp = clients.connect("127.0.0.1", server.port(), OTHER_APP, OTHER_SECRET)) {
                assertEquals(
                        1, otherApp.fetch(1, 2, 0, 5).get(10, TimeUnit.SECONDS).size(), "another app's share");
            }
            assertEquals(big, peer.read().getBlockHeader().getLength());
            peer.skip(big);
        }
        awaitMetric("open files", () -> metrics.snapshot().openFiles(), 0);
        assertServesCorrectly();
    }

    @Test
    void aPeerThatStopsReadingIsClosedAndReleasesItsFileAndBudget() throws Exception {
        start(Map.of(TransportConfig.STALL_TIMEOUT, "300"));
        resolver.write(APP, 9, 0, 0, new int[] {32 << 20}, 5);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            RawPeer peer = new RawPeer(socket);
            peer.authenticate(APP, SECRET);
            peer.sendFetch(1, APP, 9, 0, 0, 0);
            awaitMetric("stalled connections", () -> metrics.snapshot().stalledConnections(), 1);
            awaitMetric("open files", () -> metrics.snapshot().openFiles(), 0);
        }
        assertServesCorrectly();
    }

    @Test
    void pooledClientIsReusedAndReplacedWhenDead() throws Exception {
        start(Map.of());
        BlockClient first = clients.pooled("127.0.0.1", server.port(), APP, SECRET);
        assertTrue(first == clients.pooled("127.0.0.1", server.port(), APP, SECRET));
        first.close();
        for (int i = 0; i < 100 && first.isActive(); i++) {
            Thread.sleep(10);
        }
        BlockClient second = clients.pooled("127.0.0.1", server.port(), APP, SECRET);
        assertTrue(first != second);
        assertBlocks(second.fetch(1, 2, 0, 4).get(10, TimeUnit.SECONDS), 4);
    }

    @Test
    void emptyBlockHasZeroLength() throws Exception {
        start(Map.of());
        try (BlockClient client = connect()) {
            List<FetchedBlock> blocks = client.fetch(1, 2, 0, 0).get(10, TimeUnit.SECONDS);
            assertEquals(0, blocks.get(0).length());
            assertEquals(ByteBuffer.allocate(0), blocks.get(0).data());
        }
    }
}
