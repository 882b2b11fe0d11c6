package dev.weft.testkit;

import dev.weft.shuffle.format.ShuffleFileNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The map output files executors of one application left in the NodeManagers' local directories ({@code
 * <local dir>/usercache/<user>/appcache/<app>/weft/shuffle/}), found and damaged the way a failing disk would.
 *
 * <p>Stateless; the file operations race with nothing while the job is paused at a {@link FaultPoint}.
 */
final class ShuffleOutputs {
    private ShuffleOutputs() {}

    /** The {@code .data} files of {@code shuffleId} under {@code localDirs}, sorted by path. */
    static List<Path> dataFiles(List<Path> localDirs, String application, int shuffleId) {
        String prefix = ShuffleFileNames.shufflePrefix(shuffleId);
        List<Path> found = new ArrayList<>();
        for (Path local : localDirs) {
            Path users = local.resolve("usercache");
            if (!Files.isDirectory(users)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(users, 6)) {
                walk.filter(p -> p.getFileName().toString().startsWith(prefix))
                        .filter(p -> p.getFileName().toString().endsWith(ShuffleFileNames.DATA_SUFFIX))
                        .filter(p -> p.getParent()
                                .endsWith(Path.of(application).resolve(ShuffleFileNames.DIR_UNDER_APP_LOCAL_DIR)))
                        .forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + users, e);
            } catch (UncheckedIOException e) {
                // a directory that went away while being walked (a finished container's): not a map output
            }
        }
        found.sort(null);
        return found;
    }

    /**
     * Inverts up to 64 bytes in the middle of {@code data} (its length stays the same, so only a checksum can tell).
     *
     * @return how many bytes were inverted
     */
    static int corrupt(Path data) throws IOException {
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                throw new IllegalStateException(data + " is empty: there is nothing to corrupt");
            }
            int length = (int) Math.min(64, size);
            long position = (size - length) / 2;
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining() && ch.read(buf, position + buf.position()) >= 0) {
                // read fully
            }
            buf.flip();
            ByteBuffer inverted = ByteBuffer.allocate(buf.remaining());
            while (buf.hasRemaining()) {
                inverted.put((byte) ~buf.get());
            }
            inverted.flip();
            int written = 0;
            while (inverted.hasRemaining()) {
                written += ch.write(inverted, position + written);
            }
            ch.force(true);
            return written;
        }
    }

    /** Deletes {@code data} and its index file, as a lost disk would. */
    static void delete(Path data) throws IOException {
        String name = data.getFileName().toString();
        Path index = data.resolveSibling(name.substring(0, name.length() - ShuffleFileNames.DATA_SUFFIX.length())
                + ShuffleFileNames.INDEX_SUFFIX);
        Files.delete(data);
        Files.deleteIfExists(index);
    }
}
