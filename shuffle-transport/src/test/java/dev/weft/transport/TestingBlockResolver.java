package dev.weft.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    public FileSegment resolve(String appId, int shuffleId, int mapId, long attemptId, int reduceId)
            throws IOException {
        MapOutput output = outputs.get(new Key(appId, shuffleId, mapId, attemptId));
        if (output == null) {
            throw BlockNotFoundException.notFound(
                    String.format(Locale.ROOT, "no map output %s/%d/%d/%d", appId, shuffleId, mapId, attemptId));
        }
        if (reduceId < 0 || reduceId >= output.crcs.length) {
            throw BlockNotFoundException.outOfRange("reduce " + reduceId + " of " + output.crcs.length);
        }
        long offset = output.offsets[reduceId];
        return new FileSegment(output.data, offset, output.offsets[reduceId + 1] - offset, output.crcs[reduceId]);
    }
}
