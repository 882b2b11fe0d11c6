package dev.weft.bench;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.exec.ReduceBlocks;
import dev.weft.executor.shuffle.LocalFirstBlockProvider;
import dev.weft.executor.shuffle.ShuffleFetchConfig;
import dev.weft.executor.shuffle.TransportBlockFetcher;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;
import dev.weft.shuffle.ShuffleFiles;
import dev.weft.transport.BlockNotFoundException;
import dev.weft.transport.BlockResolver;
import dev.weft.transport.InMemorySecretStore;
import dev.weft.transport.ResolvedMapOutput;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportMetrics;
import dev.weft.transport.client.TransportClientFactory;
import dev.weft.transport.server.BlockServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * One reduce task's remote shuffle blocks, fetched from several in-process block servers on 127.0.0.1 over the real
 * transport (authenticated, CRC32C-verified): serially, one blocking fetch after another as reduce tasks did before
 * the fetch scheduler ({@code ShuffleBlockProvider.block} then {@code open}), and through the scheduler
 * ({@code ShuffleBlockProvider.blocks}) in arrival order (a concatenation) and in position order (a merge), with the
 * default limits. Each way runs {@value #WARM_UP} times to warm up, then {@value #RUNS} measured times; the median is
 * printed. Loopback has no latency to hide, so the set runs twice: as is, and with the servers waiting a simulated
 * {@code latency} before each block (a disk seek or a network round trip; the servers' default 4 disk threads each).
 * All of it runs with connections unsealed and sealed ({@code weft.shuffle.transport.integrity}: AES-GCM records,
 * and no {@code sendfile} since every byte goes through the sealer), so the cost of integrity is measured.
 * Usage: {@code FetchBenchmark [blocks] [KiB per block] [servers] [latency ms] [integrity: off|on|both]} (default
 * 200 256 4 2 both).
 */
@SuppressForbidden("a command-line benchmark: its results go to the terminal")
public final class FetchBenchmark {
    private static final String APP = "app_0_0001";
    private static final byte[] SECRET = "benchmark-secret".getBytes(StandardCharsets.UTF_8);
    private static final int WARM_UP = 3;
    private static final int RUNS = 7;

    private FetchBenchmark() {}

    /**
     * Serves one data file per map output, each holding a single partition (reduce 0), after waiting
     * {@code latencyMillis[0]} (shared and mutable so that one set of servers serves both sittings).
     */
    private record OneBlockPerMap(Path dir, int[] crcs, int length, long[] latencyMillis) implements BlockResolver {
        @Override
        public ResolvedMapOutput resolve(String appId, int shuffleId, int mapId, long attemptId) throws IOException {
            if (mapId < 0 || mapId >= crcs.length) {
                throw BlockNotFoundException.notFound("no map output " + mapId);
            }
            if (latencyMillis[0] > 0) {
                try {
                    Thread.sleep(latencyMillis[0]); // the simulated latency this sitting measures
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            Path file = dir.resolve("map-" + mapId);
            return new ResolvedMapOutput(
                    new long[] {0, length},
                    new int[] {crcs[mapId]},
                    () -> FileChannel.open(file, StandardOpenOption.READ),
                    "map " + mapId);
        }
    }

    private interface Read {
        long run() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int blockBytes = (args.length > 1 ? Integer.parseInt(args[1]) : 256) * 1024;
        int servers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        long latency = args.length > 3 ? Long.parseLong(args[3]) : 2;
        ShuffleFetchConfig config = ShuffleFetchConfig.defaults();
        System.out.printf(
                Locale.ROOT,
                "Weft fetch benchmark: %d blocks x %d KiB from %d in-process servers on 127.0.0.1, %d cores;"
                        + " max-bytes-in-flight %d MiB, max-requests-per-server %d%n",
                blocks,
                blockBytes / 1024,
                servers,
                Runtime.getRuntime().availableProcessors(),
                config.maxBytesInFlight() >> 20,
                config.maxRequestsPerServer());
        Path root = Files.createTempDirectory("weft-fetch-bench");
        TransportConfig transport = TransportConfig.defaults();
        Random random = new Random(1);
        byte[] data = new byte[blockBytes];
        int[][] crcs = new int[servers][blocks];
        for (int m = 0; m < blocks; m++) {
            int s = m % servers;
            Path dir = Files.createDirectories(root.resolve("server-" + s));
            random.nextBytes(data);
            try (OutputStream out = Files.newOutputStream(dir.resolve("map-" + m))) {
                out.write(data);
            }
            CRC32C crc = new CRC32C();
            crc.update(data);
            crcs[s][m] = (int) crc.getValue();
        }
        String integrity = args.length > 4 ? args[4] : "both";
        List<Boolean> modes = switch (integrity) {
            case "off" -> List.of(false);
            case "on" -> List.of(true);
            case "both" -> List.of(false, true);
            default -> throw new IllegalArgumentException("integrity must be off, on or both: " + integrity);
        };
        try {
            for (boolean sealed : modes) {
                System.out.printf(Locale.ROOT, "== integrity %s%n", sealed ? "on (sealed)" : "off");
                runSet(transport.withIntegrity(sealed), root, crcs, blocks, blockBytes, servers, latency, config);
            }
        } finally {
            try (var paths = Files.walk(root)) {
                paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Starts the servers with {@code transport}, runs every way of reading at both latencies, stops the servers. */
    private static void runSet(
            TransportConfig transport,
            Path root,
            int[][] crcs,
            int blocks,
            int blockBytes,
            int servers,
            long latency,
            ShuffleFetchConfig config)
            throws IOException {
        long[] latencyMillis = {0};
        InMemorySecretStore secrets = new InMemorySecretStore();
        secrets.register(APP, SECRET);
        List<BlockServer> started = new ArrayList<>();
        List<MapStatus> statuses = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            BlockServer server = new BlockServer(
                    new OneBlockPerMap(root.resolve("server-" + s), crcs[s], blockBytes, latencyMillis),
                    secrets,
                    transport,
                    new TransportMetrics());
            server.start("127.0.0.1", 0);
            started.add(server);
        }
        for (int m = 0; m < blocks; m++) {
            BlockLocation where = new BlockLocation(
                    "exec-" + (m % servers),
                    "127.0.0.1",
                    started.get(m % servers).port());
            statuses.add(MapStatus.of(0, m, 1, where, new long[] {blockBytes}));
        }
        try (TransportClientFactory clients = new TransportClientFactory(transport)) {
            LocalFirstBlockProvider provider = new LocalFirstBlockProvider(
                    "reader",
                    "reader-host",
                    new ShuffleFiles(Files.createDirectories(root.resolve("reader"))),
                    new TransportBlockFetcher(clients, APP, SECRET),
                    config);
            long total = (long) blocks * blockBytes;
            for (long sitting : new long[] {0, latency}) {
                latencyMillis[0] = sitting;
                System.out.printf(Locale.ROOT, "-- server latency per block: %d ms%n", sitting);
                double serial = measure("serial (one blocking fetch at a time)", total, () -> {
                    long n = 0;
                    for (MapStatus s : statuses) {
                        n += drain(provider.block(s, 0));
                    }
                    return n;
                });
                double arrival = measure("parallel, arrival order (concatenation)", total, () -> {
                    try (ReduceBlocks r = provider.blocks(statuses, 0, true)) {
                        return drainAll(r);
                    }
                });
                double position = measure("parallel, position order (merge)", total, () -> {
                    try (ReduceBlocks r = provider.blocks(statuses, 0, false)) {
                        return drainAll(r);
                    }
                });
                System.out.printf(
                        Locale.ROOT,
                        "speed-up over serial: arrival order %.2fx, position order %.2fx%n",
                        serial / arrival,
                        serial / position);
            }
        } finally {
            started.forEach(BlockServer::close);
        }
    }

    private static long drainAll(ReduceBlocks blocks) throws IOException {
        long n = 0;
        for (ShuffleBlockSource source : blocks.sources()) {
            n += drain(source);
        }
        return n;
    }

    private static long drain(ShuffleBlockSource source) throws IOException {
        try (InputStream in = source.open()) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** Runs {@code read} WARM_UP + RUNS times and prints the median; returns it in seconds. */
    private static double measure(String name, long expectedBytes, Read read) throws IOException {
        double[] seconds = new double[RUNS];
        for (int i = 0; i < WARM_UP + RUNS; i++) {
            long start = System.nanoTime();
            long bytes = read.run();
            double s = (System.nanoTime() - start) / 1e9;
            if (bytes != expectedBytes) {
                throw new IllegalStateException(name + ": read " + bytes + " bytes, expected " + expectedBytes);
            }
            if (i >= WARM_UP) {
                seconds[i - WARM_UP] = s;
            }
        }
        Arrays.sort(seconds);
        double median = seconds[RUNS / 2];
        System.out.printf(
                Locale.ROOT,
                "%-42s median %7.1f ms  %8.1f MB/s  (min %.1f ms, max %.1f ms)%n",
                name,
                median * 1e3,
                expectedBytes / median / 1e6,
                seconds[0] * 1e3,
                seconds[RUNS - 1] * 1e3);
        return median;
    }
}
