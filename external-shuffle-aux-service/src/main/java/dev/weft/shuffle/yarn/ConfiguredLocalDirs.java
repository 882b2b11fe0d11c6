package dev.weft.shuffle.yarn;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.server.api.AuxiliaryLocalPathHandler;

/**
 * Finds files under the NodeManager's configured local directories ({@code yarn.nodemanager.local-dirs}).
 * Used when the NodeManager hands the service no {@link AuxiliaryLocalPathHandler}: Hadoop 3.4's
 * {@code AuxiliaryServiceWithCustomClassLoader} — the wrapper behind {@code .classpath} isolation — does not
 * forward {@code setAuxiliaryLocalPathHandler} to the wrapped service (checked in the 3.4.2 bytecode).
 * Unlike the NodeManager's own handler it does not skip directories the NodeManager marked bad.
 *
 * <p>Immutable and thread-safe.
 */
final class ConfiguredLocalDirs implements AuxiliaryLocalPathHandler {
    private final List<java.nio.file.Path> dirs;

    ConfiguredLocalDirs(Configuration conf) {
        List<java.nio.file.Path> d = new ArrayList<>();
        for (String dir : conf.getTrimmedStrings("yarn.nodemanager.local-dirs")) {
            d.add(java.nio.file.Path.of(new Path(dir).toUri().getPath()));
        }
        this.dirs = List.copyOf(d);
    }

    @Override
    public Path getLocalPathForRead(String path) throws IOException {
        for (java.nio.file.Path d : dirs) {
            java.nio.file.Path p = d.resolve(path);
            if (Files.exists(p)) {
                return new Path(p.toUri());
            }
        }
        throw new IOException(path + " is in none of the NodeManager's local dirs " + dirs);
    }

    @Override
    public Path getLocalPathForWrite(String path) throws IOException {
        if (dirs.isEmpty()) {
            throw new IOException("yarn.nodemanager.local-dirs is empty");
        }
        return new Path(dirs.get(Math.floorMod(path.hashCode(), dirs.size()))
                .resolve(path)
                .toUri());
    }

    @Override
    public Path getLocalPathForWrite(String path, long size) throws IOException {
        return getLocalPathForWrite(path);
    }

    @Override
    public Iterable<Path> getAllLocalPathsForRead(String path) throws IOException {
        List<Path> out = new ArrayList<>();
        for (java.nio.file.Path d : dirs) {
            java.nio.file.Path p = d.resolve(path);
            if (Files.exists(p)) {
                out.add(new Path(p.toUri()));
            }
        }
        return out;
    }
}
