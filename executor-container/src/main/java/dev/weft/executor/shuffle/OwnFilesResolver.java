package dev.weft.executor.shuffle;

import dev.weft.shuffle.MapOutputIndex;
import dev.weft.shuffle.ShuffleFiles;
import dev.weft.transport.BlockNotFoundException;
import dev.weft.transport.BlockResolver;
import dev.weft.transport.FileSegment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Resolves block ids to segments of this executor's own shuffle files (the executor-hosted server). Ids
 * are numbers, so a request can never name a path outside the shuffle directory. Stateless, thread-safe.
 */
final class OwnFilesResolver implements BlockResolver {
    private final String appId;
    private final ShuffleFiles files;

    OwnFilesResolver(String appId, ShuffleFiles files) {
        this.appId = Objects.requireNonNull(appId, "appId is null");
        this.files = Objects.requireNonNull(files, "files is null");
    }

    @Override
    public FileSegment resolve(String app, int shuffleId, int mapId, long attemptId, int reduceId) throws IOException {
        if (!appId.equals(app)) {
            throw BlockNotFoundException.unknownApp("this executor serves application " + appId + ", not " + app);
        }
        if (shuffleId < 0 || mapId < 0 || attemptId < 0 || reduceId < 0) {
            throw BlockNotFoundException.notFound("negative block id");
        }
        Path index = files.indexFile(shuffleId, mapId, attemptId);
        if (!Files.exists(index)) {
            throw BlockNotFoundException.notFound(
                    "no map output for shuffle " + shuffleId + " map " + mapId + " attempt " + attemptId);
        }
        MapOutputIndex idx = MapOutputIndex.read(index);
        if (reduceId >= idx.numPartitions()) {
            throw BlockNotFoundException.outOfRange(
                    "reduce " + reduceId + " of " + idx.numPartitions() + " partitions");
        }
        return new FileSegment(
                files.dataFile(shuffleId, mapId, attemptId),
                idx.offset(reduceId),
                idx.length(reduceId),
                idx.checksum(reduceId));
    }
}
