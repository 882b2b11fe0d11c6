package dev.weft.executor.shuffle;

import dev.weft.shuffle.MapOutputIndex;
import dev.weft.shuffle.ShuffleFiles;
import dev.weft.transport.BlockNotFoundException;
import dev.weft.transport.BlockResolver;
import dev.weft.transport.ResolvedMapOutput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    public ResolvedMapOutput resolve(String app, int shuffleId, int mapId, long attemptId) throws IOException {
        if (!appId.equals(app)) {
            throw BlockNotFoundException.unknownApp("this executor serves application " + appId + ", not " + app);
        }
        if (shuffleId < 0 || mapId < 0 || attemptId < 0) {
            throw BlockNotFoundException.notFound("negative block id");
        }
        Path index = files.indexFile(shuffleId, mapId, attemptId);
        String what = "shuffle " + shuffleId + " map " + mapId + " attempt " + attemptId;
        if (!Files.exists(index)) {
            throw BlockNotFoundException.notFound("no map output for " + what);
        }
        MapOutputIndex idx = MapOutputIndex.read(index);
        long[] offsets = new long[idx.numPartitions() + 1];
        int[] crcs = new int[idx.numPartitions()];
        for (int p = 0; p < crcs.length; p++) {
            offsets[p] = idx.offset(p);
            crcs[p] = idx.checksum(p);
        }
        offsets[crcs.length] = idx.dataLength();
        Path data = files.dataFile(shuffleId, mapId, attemptId);
        // The executor's own files, in its own directory: no other user can have put anything there.
        return new ResolvedMapOutput(offsets, crcs, () -> FileChannel.open(data, StandardOpenOption.READ), what);
    }
}
