package dev.weft.shuffle;

import dev.weft.shuffle.format.ShuffleFileNames;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Names and places the files of map outputs under one base directory:
 * {@code shuffle_<shuffleId>_<mapId>_<attemptId>.data} and {@code .index} (the rule lives in
 * {@link ShuffleFileNames}, shared with the NodeManager shuffle service). Files are written under a
 * temporary name in the same directory and then atomically renamed, so a reader either sees a complete
 * file or none.
 *
 * <p>Immutable and thread-safe; the file system operations are safe to call from several tasks at once
 * because every attempt writes its own file names.
 */
public record ShuffleFiles(Path baseDir) {
    public ShuffleFiles {
        Objects.requireNonNull(baseDir, "baseDir is null");
    }

    public Path dataFile(int shuffleId, int mapId, long attemptId) {
        return baseDir.resolve(ShuffleFileNames.dataFile(shuffleId, mapId, attemptId));
    }

    public Path indexFile(int shuffleId, int mapId, long attemptId) {
        return baseDir.resolve(ShuffleFileNames.indexFile(shuffleId, mapId, attemptId));
    }

    /** A fresh, empty temporary file in the base directory (same file system, so the final move is atomic). */
    public Path newTempFile(String what) throws IOException {
        Files.createDirectories(baseDir);
        return Files.createTempFile(baseDir, "tmp_" + what + "_", ".part");
    }

    /** Moves {@code temp} onto {@code target} atomically, replacing an older attempt's file of the same name. */
    public void commit(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system of " + baseDir + " cannot rename atomically; shuffle files need it", e);
        }
    }

    /** Deletes every map output of {@code shuffleId}; returns how many files were removed. */
    public int deleteShuffle(int shuffleId) throws IOException {
        if (!Files.isDirectory(baseDir)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(baseDir, ShuffleFileNames.shufflePrefix(shuffleId) + "*")) {
            for (Path f : files) {
                if (Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }
}
