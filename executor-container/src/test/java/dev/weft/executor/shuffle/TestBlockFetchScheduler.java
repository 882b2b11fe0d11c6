package dev.weft.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.executor.shuffle.BlockFetchScheduler.Order;
import dev.weft.executor.shuffle.TestingRemoteFetcher.Request;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleCorruptionException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduler's flow control and hand-over, driven step by step with fetches the test completes. */
@Timeout(60) // a hang fails here instead of holding the build
class TestBlockFetchScheduler {
    private static final int REDUCE = 3;

    /** Map output {@code mapId} on server {@code server} whose block for {@link #REDUCE} has {@code size} bytes. */
    private static RemoteBlock block(int mapId, int server, long size) {
        long[] lengths = new long[REDUCE + 1];
        lengths[REDUCE] = size;
        BlockLocation location = new BlockLocation("exec-" + server, "host-" + server, 7000 + server);
        return RemoteBlock.of(MapStatus.of(9, mapId, 100 + mapId, location, lengths), REDUCE);
    }

    /** What the test sees from outside: estimated bytes requested and not taken, requests outstanding per server. */
    private static final class Observed {
        final Map<Integer, RemoteBlock> byMap = new HashMap<>();
        final Set<Integer> taken = new HashSet<>();

        Observed(List<RemoteBlock> blocks) {
            blocks.forEach(b -> byMap.put(b.status().mapId(), b));
        }

        long bytesInFlight(TestingRemoteFetcher fetcher) {
            long sum = 0;
            for (Request r : fetcher.requests()) {
                if (!taken.contains(r.status().mapId())) {
                    sum += byMap.get(r.status().mapId()).estimatedBytes();
                }
            }
            return sum;
        }

        int maxOutstandingPerServer(TestingRemoteFetcher fetcher) {
            Map<RemoteBlock.Server, Integer> counts = new HashMap<>();
            for (Request r : fetcher.outstanding()) {
                counts.merge(byMap.get(r.status().mapId()).server(), 1, Integer::sum);
            }
            return counts.values().stream().mapToInt(i -> i).max().orElse(0);
        }
    }

    private static List<RemoteBlock> mixedBlocks(Random random, int n, int servers) {
        List<RemoteBlock> blocks = new ArrayList<>();
        for (int m = 0; m < n; m++) {
            blocks.add(block(m, random.nextInt(servers), 1 + random.nextInt(400)));
        }
        return blocks;
    }

    @Test
    void byArrivalKeepsBothLimitsAndHandsEveryBlockOverOnce() throws IOException {
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            List<RemoteBlock> blocks = mixedBlocks(random, 60, 3);
            TestingRemoteFetcher fetcher = new TestingRemoteFetcher();
            ShuffleFetchConfig config = new ShuffleFetchConfig(1000, 2);
            Observed seen = new Observed(blocks);
            try (BlockFetchScheduler scheduler = new BlockFetchScheduler(blocks, fetcher, config, Order.BY_ARRIVAL)) {
                scheduler.start();
                int arrivedNotTaken = 0;
                while (seen.taken.size() < blocks.size()) {
                    assertTrue(seen.bytesInFlight(fetcher) <= 1000, "seed " + seed);
                    assertTrue(seen.maxOutstandingPerServer(fetcher) <= 2, "seed " + seed);
                    List<Request> outstanding = fetcher.outstanding();
                    if (!outstanding.isEmpty() && (arrivedNotTaken == 0 || random.nextBoolean())) {
                        TestingRemoteFetcher.succeed(outstanding.get(random.nextInt(outstanding.size())));
                        arrivedNotTaken++;
                    } else {
                        assertTrue(arrivedNotTaken > 0, "seed " + seed + ": nothing outstanding, nothing arrived");
                        BlockFetchScheduler.Taken taken = scheduler.takeNextArrival();
                        int mapId = TestingRemoteFetcher.mapIdIn(taken.streamOrThrow());
                        assertEquals(scheduler.block(taken.position()).status().mapId(), mapId);
                        assertTrue(seen.taken.add(mapId), "block " + mapId + " handed over twice");
                        arrivedNotTaken--;
                    }
                }
                assertEquals(blocks.size(), fetcher.requests().size(), "each block requested once");
                assertTrue(scheduler.peakBytesInFlight() <= 1000);
                assertThrows(IllegalStateException.class, scheduler::takeNextArrival);
            }
        }
    }

    @Test
    void byArrivalSpreadsTheFirstRequestsOverAllServers() {
        List<RemoteBlock> blocks = new ArrayList<>();
        for (int m = 0; m < 12; m++) {
            blocks.add(block(m, m < 9 ? 0 : 1 + (m - 9), 10)); // server 0 first in map order, then 1, 2, 3
        }
        TestingRemoteFetcher fetcher = new TestingRemoteFetcher();
        try (BlockFetchScheduler scheduler =
                new BlockFetchScheduler(blocks, fetcher, new ShuffleFetchConfig(40, 8), Order.BY_ARRIVAL)) {
            scheduler.start();
            Set<String> hosts = new HashSet<>();
            fetcher.requests().forEach(r -> hosts.add(r.status().location().host()));
            assertEquals(4, fetcher.requests().size(), "40 bytes of 10-byte blocks");
            assertEquals(Set.of("host-0", "host-1", "host-2", "host-3"), hosts);
        }
    }

    @Test
    void aBlockLargerThanTheCapIsFetchedAlone() throws IOException {
        List<RemoteBlock> blocks = List.of(block(0, 0, 50), block(1, 1, 500), block(2, 0, 50));
        TestingRemoteFetcher fetcher = new TestingRemoteFetcher();
        try (BlockFetchScheduler scheduler =
                new BlockFetchScheduler(blocks, fetcher, new ShuffleFetchConfig(100, 4), Order.BY_POSITION)) {
            scheduler.start();
            assertEquals(1, fetcher.requests().size(), "block 1 does not fit beside block 0");
            TestingRemoteFetcher.succeed(fetcher.requests().get(0));
            assertEquals(1, fetcher.requests().size(), "still not: block 0 arrived but is not taken");
            assertEquals(0, TestingRemoteFetcher.mapIdIn(scheduler.take(0)));
            assertEquals(2, fetcher.requests().size(), "nothing in flight: the large block goes alone");
            assertEquals(1, fetcher.requests().get(1).status().mapId());
            TestingRemoteFetcher.succeed(fetcher.requests().get(1));
            assertEquals(1, TestingRemoteFetcher.mapIdIn(scheduler.take(1)));
            assertEquals(3, fetcher.requests().size());
            // Sizes are the map status's estimates (within 10 % above the length), not exact lengths.
            assertEquals(blocks.get(1).estimatedBytes(), scheduler.peakBytesInFlight());
        }
    }

    @Test
    void byPositionRequestsInPositionOrderAndWaitsForAFullServer() {
        List<RemoteBlock> blocks = List.of(block(0, 0, 10), block(1, 0, 10), block(2, 1, 10), block(3, 2, 10));
        TestingRemoteFetcher fetcher = new TestingRemoteFetcher();
        try (BlockFetchScheduler scheduler =
                new BlockFetchScheduler(blocks, fetcher, new ShuffleFetchConfig(1000, 1), Order.BY_POSITION)) {
            scheduler.start();
            // Block 1 waits for server 0; blocks 2 and 3 do not overtake it, so the reader's next block comes first.
            assertEquals(List.of(0), mapIds(fetcher.requests()));
            TestingRemoteFetcher.succeed(fetcher.requests().get(0));
            assertEquals(List.of(0, 1, 2, 3), mapIds(fetcher.requests()));
        }
    }

    @Test
    void aReaderTakingOutOfOrderGetsItsBlockEvenWhenTheCapIsFull() throws Exception {
        List<RemoteBlock> blocks = List.of(block(0, 0, 60), block(1, 1, 60), block(2, 2, 60));
        TestingRemoteFetcher fetcher = new TestingRemoteFetcher();
        try (BlockFetchScheduler scheduler =
                new BlockFetchScheduler(blocks, fetcher, new ShuffleFetchConfig(100, 4), Order.BY_POSITION)) {
            scheduler.start();
            assertEquals(List.of(0), mapIds(fetcher.requests()));
            TestingRemoteFetcher.succeed(fetcher.requests().get(0));
            // The reader asks for block 2 while block 0 (arrived, not taken) fills the cap: it must not wait forever.
            CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    return TestingRemoteFetcher.mapIdIn(scheduler.take(2));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Request forced = awaitRequest(fetcher, 1);
            assertEquals(2, forced.status().mapId());
            TestingRemoteFetcher.succeed(forced);
            assertEquals(2, reader.get());
            assertEquals(
                    blocks.get(0).estimatedBytes() + blocks.get(2).estimatedBytes(),
                    scheduler.peakBytesInFlight(),
                    "one block above the cap, no more");
        }
    }

    /** Waits for the fetcher's {@code index}-th request (the fetcher notifies on each), without sleeping. */
    private static Request awaitRequest(TestingRemoteFetcher fetcher, int index) throws InterruptedException {
        synchronized (fetcher) {
            while (fetcher.requests().size() <= index) {
                fetcher.wait();
            }
        }
        return fetcher.requests().get(index);
    }

    @Test
    void aFailedBlockFailsOnlyWhenItsReaderTakesIt() throws IOException {
        List<RemoteBlock> blocks = List.of(block(0, 0, 10), block(1, 1, 10), block(2, 2, 10));
        TestingRemoteFetcher fetcher = new TestingRemoteFetcher();
        try (BlockFetchScheduler scheduler =
                new BlockFetchScheduler(blocks, fetcher, new ShuffleFetchConfig(1000, 4), Order.BY_POSITION)) {
            scheduler.start();
            List<Request> requests = fetcher.requests();
            ConnectException unreachable = new ConnectException("server 1 is gone");
            requests.get(1).future().completeExceptionally(unreachable);
            ShuffleCorruptionException corrupt = new ShuffleCorruptionException("bad checksum");
            requests.get(2).future().completeExceptionally(corrupt);
            TestingRemoteFetcher.succeed(requests.get(0));
            assertEquals(0, TestingRemoteFetcher.mapIdIn(scheduler.take(0)));
            assertSame(unreachable, assertThrows(ConnectException.class, () -> scheduler.take(1)));
            assertSame(corrupt, assertThrows(ShuffleCorruptionException.class, () -> scheduler.take(2)));
        }
    }

    @Test
    void closeCancelsOutstandingFetchesAndDropsArrivedBlocks() throws IOException {
        List<RemoteBlock> blocks = List.of(block(0, 0, 10), block(1, 1, 10), block(2, 2, 10));
        TestingRemoteFetcher fetcher = new TestingRemoteFetcher();
        BlockFetchScheduler scheduler =
                new BlockFetchScheduler(blocks, fetcher, new ShuffleFetchConfig(1000, 4), Order.BY_ARRIVAL);
        scheduler.start();
        boolean[] closed = new boolean[1];
        fetcher.requests().get(0).future().complete(new ByteArrayInputStream(new byte[8]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        });
        scheduler.close();
        assertTrue(closed[0], "an arrived block not taken is closed");
        assertTrue(fetcher.requests().get(1).future().isCancelled());
        assertTrue(fetcher.requests().get(2).future().isCancelled());
        assertThrows(IOException.class, scheduler::takeNextArrival);
        scheduler.close(); // idempotent
    }

    @Test
    void manyFetchesThatFailAtOnceDoNotGrowTheStack() throws IOException {
        List<RemoteBlock> blocks = new ArrayList<>();
        for (int m = 0; m < 20_000; m++) {
            blocks.add(block(m, 0, 10));
        }
        // Each failure frees the one request slot at once, so the next fetch starts from inside the failed one's end.
        try (BlockFetchScheduler scheduler = new BlockFetchScheduler(
                blocks, RemoteBlockFetcher.UNCONFIGURED, new ShuffleFetchConfig(1L << 40, 1), Order.BY_ARRIVAL)) {
            scheduler.start();
            for (int i = 0; i < blocks.size(); i++) {
                BlockFetchScheduler.Taken taken = scheduler.takeNextArrival();
                assertEquals("no block transport configured", taken.failure().getMessage());
            }
        }
    }

    private static List<Integer> mapIds(List<Request> requests) {
        return requests.stream().map(r -> r.status().mapId()).toList();
    }
}
