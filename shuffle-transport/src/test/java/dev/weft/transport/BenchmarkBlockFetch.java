package dev.weft.transport;

import dev.weft.transport.client.BlockClient;
import dev.weft.transport.client.FetchedBlock;
import dev.weft.transport.client.TransportClientFactory;
import dev.weft.transport.server.BlockServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Loopback fetch throughput for 4 KiB, 64 KiB and 1 MiB blocks, next to the machine's plain-socket loopback and disk
 * read bandwidth. Not a test; run with {@code java -cp ... dev.weft.transport.BenchmarkBlockFetch [seconds-per-case]}.
 */
public final class BenchmarkBlockFetch {
    private static final String APP = "bench";
    private static final byte[] SECRET = "bench-secret".getBytes(StandardCharsets.UTF_8);
    private static final int PARTITIONS = 64;
    private static final int PARTITIONS_PER_FETCH = 8;
    private static final int CONCURRENT_FETCHES = 8;

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        Path dir = Files.createTempDirectory("weft-bench");
        try {
            System.out.printf(Locale.ROOT, "loopback socket copy: %.0f MiB/s%n", socketBandwidth(seconds));
            System.out.println(diskBandwidth(dir));
            TestingBlockResolver resolver = new TestingBlockResolver(dir);
            int[] sizes = {4 << 10, 64 << 10, 1 << 20};
            for (int i = 0; i < sizes.length; i++) {
                int[] partitionSizes = new int[PARTITIONS];
                java.util.Arrays.fill(partitionSizes, sizes[i]);
                resolver.write(APP, 0, i, 0, partitionSizes, i);
            }
            InMemorySecretStore secrets = new InMemorySecretStore();
            secrets.register(APP, SECRET);
            TransportConfig config = TransportConfig.defaults();
            try (BlockServer server = new BlockServer(resolver, secrets, config, new TransportMetrics());
                    TransportClientFactory clients = new TransportClientFactory(config)) {
                server.start("127.0.0.1", 0);
                BlockClient client = clients.connect("127.0.0.1", server.port(), APP, SECRET);
                for (int i = 0; i < sizes.length; i++) {
                    run(client, i, sizes[i], seconds / 3);
                    run(client, i, sizes[i], seconds);
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /** Keeps CONCURRENT_FETCHES fetches of PARTITIONS_PER_FETCH blocks in flight for {@code seconds}. */
    private static void run(BlockClient client, int mapId, int blockSize, double seconds) throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long blocks = 0;
        long fetches = 0;
        long bytes = 0;
        List<CompletableFuture<List<FetchedBlock>>> inFlight = new ArrayList<>();
        int next = 0;
        while (System.nanoTime() < deadline || !inFlight.isEmpty()) {
            while (System.nanoTime() < deadline && inFlight.size() < CONCURRENT_FETCHES) {
                int[] ids = new int[PARTITIONS_PER_FETCH];
                for (int j = 0; j < ids.length; j++) {
                    ids[j] = (next++) % PARTITIONS;
                }
                inFlight.add(client.fetch(0, mapId, 0, ids));
            }
            for (FetchedBlock block : inFlight.remove(0).get(60, TimeUnit.SECONDS)) {
                blocks++;
                bytes += block.length();
            }
            fetches++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "block %7d B: %8.1f MiB/s, %8.0f blocks/s, %7.0f fetches/s (%d blocks per fetch, %d in flight, %.1f s)%n",
                blockSize,
                bytes / elapsed / (1 << 20),
                blocks / elapsed,
                fetches / elapsed,
                PARTITIONS_PER_FETCH,
                CONCURRENT_FETCHES,
                elapsed);
    }

    private static double socketBandwidth(double seconds) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sink = new Thread(() -> {
                try (Socket socket = listener.accept();
                        InputStream in = socket.getInputStream()) {
                    byte[] buffer = new byte[1 << 20];
                    while (in.read(buffer) >= 0) {
                        // Discard.
                    }
                } catch (IOException ignored) {
                    // Benchmark helper.
                }
            });
            sink.start();
            long bytes = 0;
            long start = System.nanoTime();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                    OutputStream out = socket.getOutputStream()) {
                byte[] buffer = new byte[1 << 20];
                long deadline = start + (long) (seconds * 1e9);
                while (System.nanoTime() < deadline) {
                    out.write(buffer);
                    bytes += buffer.length;
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            sink.join();
            return bytes / elapsed / (1 << 20);
        }
    }

    private static String diskBandwidth(Path dir) throws IOException {
        Path file = dir.resolve("disk-probe");
        long size = 512L << 20;
        ByteBuffer buffer = ByteBuffer.allocateDirect(4 << 20);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; written += buffer.capacity()) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            out.force(true);
        }
        long start = System.nanoTime();
        long read = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = in.read(buffer.clear())) >= 0) {
                read += n;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Files.delete(file);
        return String.format(
                Locale.ROOT,
                "disk read of a fresh %d MiB file: %.0f MiB/s (just written, so mostly page cache unless memory is short: an upper bound, not the device's speed)",
                read >> 20,
                read / elapsed / (1 << 20));
    }
}
