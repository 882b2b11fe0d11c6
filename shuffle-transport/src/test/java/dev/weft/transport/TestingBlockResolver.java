package dev.weft.transport;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/** Writes map outputs (one data file of concatenated partitions) to a directory and resolves blocks in them. */
public final class TestingBlockResolver implements BlockResolver {
    private record Key(String appId, int shuffleId, int mapId, long attemptId) {}

    /** One written map output: its data file, partition offsets (n + 1) and checksums, and the partition bytes. */
    public record MapOutput(Path data, long[] offsets, int[] crcs, byte[][] partitions) {}

    private final Path dir;
    private final Map<Key, MapOutput> outputs = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger resolveCalls =
            new java.util.concurrent.atomic.AtomicInteger();

    public TestingBlockResolver(Path dir) {
        this.dir = dir;
    }

    public MapOutput write(String appId, int shuffleId, int mapId, long attemptId, int[] partitionSizes, long seed)
            throws IOException {
        Random random = new Random(seed);
        byte[][] partitions = new byte[partitionSizes.length][];
        long[] offsets = new long[partitionSizes.length + 1];
        int[] crcs = new int[partitionSizes.length];
        Path data = dir.resolve(String.format(Locale.ROOT, "%s_%d_%d_%d.data", appId, shuffleId, mapId, attemptId));
        try (var out = Files.newOutputStream(data)) {
            for (int i = 0; i < partitionSizes.length; i++) {
                partitions[i] = new byte[partitionSizes[i]];
                random.nextBytes(partitions[i]);
                out.write(partitions[i]);
                CRC32C crc = new CRC32C();
                crc.update(partitions[i]);
                crcs[i] = (int) crc.getValue();
                offsets[i + 1] = offsets[i] + partitionSizes[i];
            }
        }
        MapOutput output = new MapOutput(data, offsets, crcs, partitions);
        outputs.put(new Key(appId, shuffleId, mapId, attemptId), output);
        return output;
    }

    @Override
    public ResolvedMapOutput resolve(String appId, int shuffleId, int mapId, long attemptId) throws IOException {
        resolveCalls.incrementAndGet();
        MapOutput output = outputs.get(new Key(appId, shuffleId, mapId, attemptId));
        if (output == null) {
            throw BlockNotFoundException.notFound(
                    String.format(Locale.ROOT, "no map output %s/%d/%d/%d", appId, shuffleId, mapId, attemptId));
        }
        return new ResolvedMapOutput(
                output.offsets,
                output.crcs,
                () -> FileChannel.open(output.data, StandardOpenOption.READ),
                String.format(Locale.ROOT, "%s/%d/%d/%d", appId, shuffleId, mapId, attemptId));
    }

    /** How often {@link #resolve} was called (once per fetch request: one index read). */
    public int resolveCalls() {
        return resolveCalls.get();
    }
}
