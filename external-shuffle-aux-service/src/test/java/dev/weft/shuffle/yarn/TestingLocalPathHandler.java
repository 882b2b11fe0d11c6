package dev.weft.shuffle.yarn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.yarn.server.api.AuxiliaryLocalPathHandler;

/**
 * A fake of the NodeManager's local path handler over fixed local dirs: like the NM's, it searches every dir for a
 * relative path and throws when none has it. Records every relative path it was asked for. Thread-safe.
 */
final class TestingLocalPathHandler implements AuxiliaryLocalPathHandler {
    private final List<Path> localDirs;
    final List<String> requested = new CopyOnWriteArrayList<>();

    TestingLocalPathHandler(List<Path> localDirs) {
        this.localDirs = List.copyOf(localDirs);
    }

    @Override
    public org.apache.hadoop.fs.Path getLocalPathForRead(String relative) throws IOException {
        requested.add(relative);
        for (Path dir : localDirs) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return new org.apache.hadoop.fs.Path(candidate.toUri());
            }
        }
        throw new IOException("Could not find " + relative + " in any of the valid local directories");
    }

    @Override
    public org.apache.hadoop.fs.Path getLocalPathForWrite(String relative) {
        return new org.apache.hadoop.fs.Path(localDirs.get(0).resolve(relative).toUri());
    }

    @Override
    public org.apache.hadoop.fs.Path getLocalPathForWrite(String relative, long size) {
        return getLocalPathForWrite(relative);
    }

    @Override
    public Iterable<org.apache.hadoop.fs.Path> getAllLocalPathsForRead(String relative) {
        List<org.apache.hadoop.fs.Path> found = new ArrayList<>();
        for (Path dir : localDirs) {
            if (Files.exists(dir.resolve(relative))) {
                found.add(new org.apache.hadoop.fs.Path(dir.resolve(relative).toUri()));
            }
        }
        return found;
    }
}
