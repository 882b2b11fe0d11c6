package dev.weft.shuffle.yarn;

import dev.weft.shuffle.format.MapOutputIndexFormat;
import dev.weft.shuffle.format.PartitionIndex;
import dev.weft.shuffle.format.ShuffleFileNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Writes map outputs the way an executor lays them out in an NM local dir. Test helper; stateless. */
final class MapOutputFiles {
    private MapOutputFiles() {}

    /** The dir an executor of {@code appId} run by {@code user} writes to under one NM local dir. */
    static Path shuffleDir(Path nmLocalDir, String user, String appId) {
        return nmLocalDir
                .resolve("usercache")
                .resolve(user)
                .resolve("appcache")
                .resolve(appId)
                .resolve(ShuffleFileNames.DIR_UNDER_APP_LOCAL_DIR);
    }

    /** Writes the data and index files of one map output whose partitions hold {@code partitions}. */
    static void write(Path shuffleDir, int shuffleId, int mapId, long attemptId, byte[]... partitions)
            throws IOException {
        Files.createDirectories(shuffleDir);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        long[] lengths = new long[partitions.length];
        int[] checksums = new int[partitions.length];
        for (int i = 0; i < partitions.length; i++) {
            data.write(partitions[i]);
            lengths[i] = partitions[i].length;
            CRC32C crc = new CRC32C();
            crc.update(partitions[i]);
            checksums[i] = (int) crc.getValue();
        }
        Files.write(shuffleDir.resolve(ShuffleFileNames.dataFile(shuffleId, mapId, attemptId)), data.toByteArray());
        MapOutputIndexFormat.write(
                PartitionIndex.fromLengths(lengths, checksums),
                shuffleDir.resolve(ShuffleFileNames.indexFile(shuffleId, mapId, attemptId)));
    }
}
