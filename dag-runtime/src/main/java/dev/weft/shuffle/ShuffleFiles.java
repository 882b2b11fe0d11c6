package dev.weft.shuffle;

import dev.weft.shuffle.format.ShuffleFileNames;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * Names and places the files of map outputs under one or more base directories (one per local disk):
 * {@code shuffle_<shuffleId>_<mapId>_<attemptId>.data} and {@code .index} (the rule lives in
 * {@link ShuffleFileNames}, shared with the NodeManager shuffle service). A map output's files, its temporary
 * files and its spills all go to one directory, chosen from the shuffle and map id, so map outputs spread over the
 * disks while each output's final rename stays within one file system. Every executor of an application on a node
 * is given the same directories in the same order, so all of them place a map output alike; a reader that looks in
 * the wrong one (a disk dropped from the list meanwhile) finds nothing and fetches through the shuffle service,
 * which searches every local dir of its NodeManager.
 *
 * <p>Files are written under a temporary name in the same directory and then atomically renamed, so a reader
 * either sees a complete file or none. Immutable and thread-safe; the file system operations are safe to call from
 * several tasks at once because every attempt writes its own file names.
 */
public record ShuffleFiles(List<Path> baseDirs) {
    public ShuffleFiles {
        baseDirs = List.copyOf(Objects.requireNonNull(baseDirs, "baseDirs is null"));
        if (baseDirs.isEmpty()) {
            throw new IllegalArgumentException("no shuffle directory given");
        }
    }

    /** One base directory. */
    public ShuffleFiles(Path baseDir) {
        this(List.of(Objects.requireNonNull(baseDir, "baseDir is null")));
    }

    /** The directory holding every file of map output ({@code shuffleId}, {@code mapId}), whatever its attempt. */
    public Path dirOf(int shuffleId, int mapId) {
        return baseDirs.get(Math.floorMod(31 * shuffleId + mapId, baseDirs.size()));
    }

    public Path dataFile(int shuffleId, int mapId, long attemptId) {
        return dirOf(shuffleId, mapId).resolve(ShuffleFileNames.dataFile(shuffleId, mapId, attemptId));
    }

    public Path indexFile(int shuffleId, int mapId, long attemptId) {
        return dirOf(shuffleId, mapId).resolve(ShuffleFileNames.indexFile(shuffleId, mapId, attemptId));
    }

    /**
     * A fresh, empty temporary file in map output ({@code shuffleId}, {@code mapId})'s directory (the same file
     * system as its final files, so the final move is atomic).
     */
    public Path newTempFile(int shuffleId, int mapId, String what) throws IOException {
        Path dir = dirOf(shuffleId, mapId);
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "tmp_" + what + "_", ".part");
    }

    /** Moves {@code temp} onto {@code target} atomically, replacing an older attempt's file of the same name. */
    public void commit(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "file system of " + target.getParent() + " cannot rename atomically; shuffle files need it", e);
        }
    }

    /** Deletes every map output of {@code shuffleId} in every directory; returns how many files were removed. */
    public int deleteShuffle(int shuffleId) throws IOException {
        int deleted = 0;
        for (Path dir : baseDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files =
                    Files.newDirectoryStream(dir, ShuffleFileNames.shufflePrefix(shuffleId) + "*")) {
                for (Path f : files) {
                    if (Files.deleteIfExists(f)) {
                        deleted++;
                    }
                }
            }
        }
        return deleted;
    }
}
