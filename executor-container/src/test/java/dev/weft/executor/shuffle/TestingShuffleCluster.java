package dev.weft.executor.shuffle;

import dev.weft.core.HashPartitioner;
import dev.weft.core.Pair;
import dev.weft.memory.MemoryBudget;
import dev.weft.metrics.TaskMetrics;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.KeyOrdering;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleFiles;
import dev.weft.shuffle.ShuffleSpec;
import dev.weft.transport.BlockResolver;
import dev.weft.transport.InMemorySecretStore;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportMetrics;
import dev.weft.transport.client.TransportClientFactory;
import dev.weft.transport.server.BlockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Several executors' map output on real files, each remote executor serving its own with a real {@link BlockServer}
 * on 127.0.0.1 (as an executor does without a NodeManager shuffle service), and a reading executor with its own
 * local map outputs. Map outputs are written by the real {@code SortShuffleWriter}; every record's key is unique, so
 * a reader's output can be checked against {@link #expected}.
 */
final class TestingShuffleCluster implements AutoCloseable {
    static final String APP = "app_1_0001";
    static final byte[] SECRET = "the-app-secret".getBytes(StandardCharsets.UTF_8);
    static final String READER = "reader";
    static final int SHUFFLE = 5;

    final ShuffleSpec spec;
    final ShuffleFiles readerFiles;
    final List<BlockServer> servers = new ArrayList<>();
    final List<MapStatus> statuses = new ArrayList<>();
    final TransportClientFactory clients;
    private final List<List<Pair<Object, Object>>> records = new ArrayList<>();

    /**
     * @param maps          map outputs to write
     * @param remotes       remote executors (map m goes to executor m % (remotes + 1); the last one is the reader)
     * @param maxRecords    records per map are drawn from [1, maxRecords]: blocks of mixed sizes
     * @param resolverOf    wraps the resolver of remote executor i (to make one stall or fail); identity for none
     */
    TestingShuffleCluster(
            Path root,
            KeyOrdering ordering,
            int partitions,
            int maps,
            int remotes,
            int maxRecords,
            long seed,
            java.util.function.IntFunction<UnaryOperator<BlockResolver>> resolverOf)
            throws IOException {
        this.spec = new ShuffleSpec(
                SHUFFLE,
                new HashPartitioner(partitions),
                ValueSerializer.instance(),
                ValueSerializer.instance(),
                ordering,
                null,
                null,
                false);
        TransportConfig config = TransportConfig.fromMap(Map.of(
                TransportConfig.FETCH_TIMEOUT, "20000",
                TransportConfig.CONNECT_TIMEOUT, "5000"));
        InMemorySecretStore secrets = new InMemorySecretStore();
        secrets.register(APP, SECRET);
        List<ShuffleFiles> dirs = new ArrayList<>();
        for (int e = 0; e < remotes; e++) {
            ShuffleFiles files = new ShuffleFiles(Files.createDirectories(root.resolve("exec-" + e)));
            dirs.add(files);
            BlockServer server = new BlockServer(
                    resolverOf.apply(e).apply(new OwnFilesResolver(APP, files)),
                    secrets,
                    config,
                    new TransportMetrics());
            server.start("127.0.0.1", 0);
            servers.add(server);
        }
        this.readerFiles = new ShuffleFiles(Files.createDirectories(root.resolve(READER)));
        dirs.add(readerFiles);
        Random random = new Random(seed);
        long key = 0;
        for (int m = 0; m < maps; m++) {
            int e = m % (remotes + 1);
            List<Pair<Object, Object>> mapRecords = new ArrayList<>();
            int n = 1 + random.nextInt(maxRecords);
            for (int i = 0; i < n; i++) {
                byte[] value = new byte[random.nextInt(200)];
                random.nextBytes(value);
                mapRecords.add(Pair.of(key++, value));
            }
            records.add(mapRecords);
            long attempt = 1000L + m;
            long[] lengths = new dev.weft.shuffle.SortShuffleWriter(
                            spec,
                            m,
                            attempt,
                            dirs.get(e),
                            new MemoryBudget(64L << 20).forTask(attempt),
                            new TaskMetrics())
                    .write(mapRecords.iterator());
            BlockLocation location = e == remotes
                    ? new BlockLocation(READER, "reader-host", -1)
                    : new BlockLocation("exec-" + e, "127.0.0.1", servers.get(e).port());
            statuses.add(MapStatus.of(SHUFFLE, m, attempt, location, lengths));
        }
        this.clients = new TransportClientFactory(config);
    }

    /** A reading executor's provider over this cluster's servers, with {@code fetcher} between it and the wire. */
    LocalFirstBlockProvider provider(ShuffleFetchConfig config, UnaryOperator<RemoteBlockFetcher> fetcher) {
        return new LocalFirstBlockProvider(
                READER,
                "reader-host",
                readerFiles,
                fetcher.apply(new TransportBlockFetcher(clients, APP, SECRET)),
                config);
    }

    /** The map outputs with a non-empty block for {@code reduceId}, in map order. */
    List<MapStatus> nonEmpty(int reduceId) {
        return statuses.stream().filter(s -> !s.isEmpty(reduceId)).toList();
    }

    /** The keys of partition {@code reduceId}, ascending, each with its value's bytes as a string. */
    List<String> expected(int reduceId) {
        List<Long> keys = new ArrayList<>();
        Map<Long, byte[]> values = new java.util.HashMap<>();
        for (List<Pair<Object, Object>> map : records) {
            for (Pair<Object, Object> p : map) {
                if (spec.partitioner().partition(p.key()) == reduceId) {
                    keys.add((Long) p.key());
                    values.put((Long) p.key(), (byte[]) p.value());
                }
            }
        }
        Collections.sort(keys);
        return keys.stream()
                .map(k -> k + "=" + java.util.Arrays.toString(values.get(k)))
                .toList();
    }

    static String describe(Object key, Object value) {
        return key + "=" + java.util.Arrays.toString((byte[]) value);
    }

    @Override
    public void close() {
        clients.close();
        servers.forEach(BlockServer::close);
    }
}
