package dev.weft.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.exec.ReduceBlocks;
import dev.weft.memory.MemoryBudget;
import dev.weft.metrics.TaskMetrics;
import dev.weft.shuffle.FetchFailedException;
import dev.weft.shuffle.KeyOrdering;
import dev.weft.shuffle.LocalShuffleBlock;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.RecordStream;
import dev.weft.shuffle.ShuffleBlockSource;
import dev.weft.shuffle.ShuffleCorruptionException;
import dev.weft.shuffle.ShuffleReader;
import dev.weft.transport.BlockResolver;
import dev.weft.transport.ResolvedMapOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reduce task's blocks fetched in parallel over real sockets from several in-process block servers, read through
 * the real {@link ShuffleReader}, and checked record by record against what the maps wrote.
 */
@Timeout(120) // a hang fails here instead of holding the build
class TestParallelShuffleFetch {
    static {
        NettyLeaks.install();
    }

    /** Rounds of the concurrent read test; raise with -Dweft.test.fetchRounds=N to hunt races. */
    private static final int ROUNDS = Integer.getInteger("weft.test.fetchRounds", 5);

    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    private TestingShuffleCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        NettyLeaks.assertNoLeaks();
    }

    private TestingShuffleCluster cluster(
            Path root,
            KeyOrdering ordering,
            int maps,
            long seed,
            java.util.function.IntFunction<UnaryOperator<BlockResolver>> resolvers)
            throws IOException {
        return new TestingShuffleCluster(root, ordering, PARTITIONS, maps, 4, 600, seed, resolvers);
    }

    private static List<String> read(TestingShuffleCluster c, ReduceBlocks blocks, int reduceId, Path tmp) {
        List<String> out = new ArrayList<>();
        try (RecordStream s = ShuffleReader.read(
                c.spec, reduceId, blocks.sources(), new MemoryBudget(64L << 20).forTask(1), new TaskMetrics(), tmp)) {
            while (s.advance()) {
                out.add(TestingShuffleCluster.describe(s.key(), s.value()));
            }
        }
        return out;
    }

    @Test
    void everyBlockArrivesOnceWithItsContentWithinBothLimits() throws Exception {
        int serversAtOnce = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (KeyOrdering ordering : List.of(KeyOrdering.NONE, KeyOrdering.SORTED)) {
                Path root = dir.resolve("round-" + round + "-" + ordering);
                try (TestingShuffleCluster c = cluster(root, ordering, 60, round, e -> UnaryOperator.identity())) {
                    // A cap of a few blocks, so that flow control is exercised and some blocks exceed it.
                    ShuffleFetchConfig config = new ShuffleFetchConfig(48 * 1024, 2);
                    for (int reduce = 0; reduce < PARTITIONS; reduce++) {
                        int reduceId = reduce;
                        CountingFetcher counting = new CountingFetcher();
                        LocalFirstBlockProvider provider = c.provider(config, counting::wrap);
                        List<MapStatus> statuses = c.nonEmpty(reduceId);
                        long largest = statuses.stream()
                                .mapToLong(s -> RemoteBlock.of(s, reduceId).estimatedBytes())
                                .max()
                                .orElse(0);
                        List<String> got;
                        try (ReduceBlocks blocks = provider.blocks(statuses, reduceId, ordering == KeyOrdering.NONE)) {
                            got = read(c, blocks, reduceId, root.resolve("tmp"));
                            long peak = ((LocalFirstBlockProvider.FetchingBlocks) blocks)
                                    .scheduler()
                                    .peakBytesInFlight();
                            assertTrue(peak <= Math.max(config.maxBytesInFlight(), largest), "peak " + peak);
                        }
                        List<String> expected = c.expected(reduceId);
                        if (ordering == KeyOrdering.NONE) {
                            got = new ArrayList<>(got);
                            got.sort(null);
                            expected = new ArrayList<>(expected);
                            expected.sort(null);
                        }
                        assertEquals(expected, got, "round " + round + " " + ordering + " reduce " + reduceId);
                        long remote = statuses.stream()
                                .filter(s -> !s.location().executorId().equals(TestingShuffleCluster.READER))
                                .count();
                        assertEquals(remote, counting.fetches(), "each remote block fetched once, local ones read");
                        assertTrue(counting.maxPerServer() <= 2, "requests per server " + counting.maxPerServer());
                        serversAtOnce = Math.max(serversAtOnce, counting.maxServersAtOnce());
                    }
                }
            }
        }
        assertTrue(serversAtOnce > 1, "fetches went to several servers at once");
    }

    @Test
    void aServerThatDiesMidFetchIsAFetchFailureNamingItsMapOutput() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        // Executor 3 holds one map output (map 3: maps go round-robin over 4 remotes and the reader); its server
        // stalls inside the request until it is closed.
        cluster = cluster(dir, KeyOrdering.NONE, 5, 7, e -> e == 3 ? r -> stalling(entered) : UnaryOperator.identity());
        MapStatus dying = cluster.statuses.get(3);
        int reduceId = firstNonEmpty(dying);
        LocalFirstBlockProvider provider =
                cluster.provider(new ShuffleFetchConfig(1 << 20, 2), UnaryOperator.identity());
        try (ReduceBlocks blocks = provider.blocks(cluster.nonEmpty(reduceId), reduceId, true)) {
            assertTrue(entered.await(30, TimeUnit.SECONDS), "the request reached the server");
            cluster.servers.get(3).close();
            FetchFailedException e =
                    assertThrows(FetchFailedException.class, () -> read(cluster, blocks, reduceId, dir.resolve("tmp")));
            assertEquals(3, e.mapId());
            assertEquals(dying.attemptId(), e.mapAttemptId());
            assertEquals(dying.location().toString(), e.location());
            assertEquals(reduceId, e.reduceId());
        }
    }

    @Test
    void anUnreachableServerIsAFetchFailureCausedByConnectException() throws Exception {
        cluster = cluster(dir, KeyOrdering.SORTED, 5, 8, e -> UnaryOperator.identity());
        MapStatus gone = cluster.statuses.get(2);
        int reduceId = firstNonEmpty(gone);
        cluster.servers.get(2).close();
        LocalFirstBlockProvider provider = cluster.provider(ShuffleFetchConfig.defaults(), UnaryOperator.identity());
        try (ReduceBlocks blocks = provider.blocks(cluster.nonEmpty(reduceId), reduceId, false)) {
            FetchFailedException e =
                    assertThrows(FetchFailedException.class, () -> read(cluster, blocks, reduceId, dir.resolve("tmp")));
            assertEquals(2, e.mapId());
            assertEquals(gone.attemptId(), e.mapAttemptId());
            assertInstanceOf(ConnectException.class, e.getCause());
        }
    }

    @Test
    void aCorruptRemoteBlockIsAShuffleCorruptionOfThatMapOutput() throws Exception {
        cluster = cluster(dir, KeyOrdering.NONE, 5, 9, e -> UnaryOperator.identity());
        MapStatus corrupt = cluster.statuses.get(1);
        int reduceId = firstNonEmpty(corrupt);
        flipFirstByteOf(dir.resolve("exec-1"), corrupt, reduceId);
        LocalFirstBlockProvider provider = cluster.provider(ShuffleFetchConfig.defaults(), UnaryOperator.identity());
        try (ReduceBlocks blocks = provider.blocks(cluster.nonEmpty(reduceId), reduceId, true)) {
            FetchFailedException e =
                    assertThrows(FetchFailedException.class, () -> read(cluster, blocks, reduceId, dir.resolve("tmp")));
            assertTrue(e.isCorruption(), e.toString());
            assertInstanceOf(ShuffleCorruptionException.class, e.getCause());
            assertEquals(1, e.mapId());
            assertEquals(corrupt.attemptId(), e.mapAttemptId());
        }
    }

    @Test
    void closingMidFetchCancelsEverythingAndLeaksNothing() throws Exception {
        // Executor 0's server never answers, so its fetches end only if the close cancels them.
        cluster = cluster(
                dir,
                KeyOrdering.NONE,
                40,
                10,
                e -> e == 0 ? r -> stalling(new CountDownLatch(1)) : UnaryOperator.identity());
        int reduceId = 0;
        List<MapStatus> statuses = cluster.nonEmpty(reduceId);
        long answered = statuses.stream()
                .filter(s -> !s.location().executorId().equals("exec-0"))
                .count();
        for (int round = 0; round < 20; round++) {
            CountingFetcher counting = new CountingFetcher();
            LocalFirstBlockProvider provider = cluster.provider(new ShuffleFetchConfig(16 * 1024, 4), counting::wrap);
            boolean anyOrder = round % 2 == 0;
            ReduceBlocks blocks = provider.blocks(statuses, reduceId, anyOrder);
            if (anyOrder) {
                // Read a few blocks, as a task killed early would (by arrival: never the stalled ones), then end.
                for (int i = 0; i < Math.min(round % 5, answered); i++) {
                    try (InputStream in = blocks.sources().get(i).open()) {
                        in.readAllBytes();
                    }
                }
            }
            blocks.close();
            CompletableFuture<?>[] started = counting.started().toArray(new CompletableFuture<?>[0]);
            // Shorter than the fetch timeout (20 s): only a cancelled fetch to the stalled server can be over by then.
            CompletableFuture.allOf(started).handle((v, e) -> null).get(10, TimeUnit.SECONDS);
            assertTrue(counting.started().stream().anyMatch(CompletableFuture::isCancelled), "round " + round);
            ShuffleBlockSource remote = blocks.sources().stream()
                    .filter(b -> !(b instanceof LocalShuffleBlock))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThrows(IOException.class, remote::open, "a block not opened before the close is gone");
        }
    }

    private static int firstNonEmpty(MapStatus status) {
        for (int r = 0; r < PARTITIONS; r++) {
            if (!status.isEmpty(r)) {
                return r;
            }
        }
        throw new AssertionError("map " + status.mapId() + " wrote nothing");
    }

    private static void flipFirstByteOf(Path executorDir, MapStatus status, int reduceId) throws IOException {
        dev.weft.shuffle.ShuffleFiles files = new dev.weft.shuffle.ShuffleFiles(executorDir);
        ResolvedMapOutput.Segment segment = new OwnFilesResolver(TestingShuffleCluster.APP, files)
                .resolve(TestingShuffleCluster.APP, status.shuffleId(), status.mapId(), status.attemptId())
                .segment(reduceId);
        Path data = files.dataFile(status.shuffleId(), status.mapId(), status.attemptId());
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.seek(segment.offset());
            int b = f.read();
            f.seek(segment.offset());
            f.write(b ^ 0x5a);
        }
    }

    /** A resolver that stalls every request, after saying so, until its thread is interrupted (server close). */
    private static BlockResolver stalling(CountDownLatch entered) {
        return (app, shuffleId, mapId, attemptId) -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("server closed while resolving");
        };
    }

    /**
     * Sits between the provider and the transport and watches the fetches from outside the scheduler: how many are
     * outstanding per server and on how many servers at once. Thread-safe (one monitor).
     */
    private static final class CountingFetcher {
        private final Map<String, Integer> outstanding = new HashMap<>();
        private final List<CompletableFuture<InputStream>> started = new ArrayList<>();
        private int maxPerServer;
        private int maxServersAtOnce;

        RemoteBlockFetcher wrap(RemoteBlockFetcher delegate) {
            return (status, reduceId) -> {
                String server =
                        status.location().host() + ":" + status.location().port();
                synchronized (this) {
                    int now = outstanding.merge(server, 1, Integer::sum);
                    maxPerServer = Math.max(maxPerServer, now);
                    maxServersAtOnce = Math.max(maxServersAtOnce, outstanding.size());
                }
                CompletableFuture<InputStream> f = delegate.fetch(status, reduceId);
                // The scheduler sees a future completed after the count went down (callbacks run in LIFO order,
                // so counting in a callback on f itself could run after the scheduler had started the next fetch).
                CompletableFuture<InputStream> seen = new CompletableFuture<>();
                seen.whenComplete((s, e) -> {
                    if (seen.isCancelled()) {
                        f.cancel(false);
                    }
                });
                f.whenComplete((s, e) -> {
                    synchronized (this) {
                        outstanding.computeIfPresent(server, (k, v) -> v == 1 ? null : v - 1);
                    }
                    if (e != null) {
                        seen.completeExceptionally(e);
                    } else {
                        seen.complete(s);
                    }
                });
                synchronized (this) {
                    started.add(seen);
                }
                return seen;
            };
        }

        synchronized int fetches() {
            return started.size();
        }

        synchronized int maxPerServer() {
            return maxPerServer;
        }

        synchronized int maxServersAtOnce() {
            return maxServersAtOnce;
        }

        synchronized List<CompletableFuture<InputStream>> started() {
            return List.copyOf(started);
        }
    }
}
