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

    /**
     * Fails the disk under {@code localDirs} for {@code application}'s executors, as a dead disk does: each of its
     * {@code weft} directories (map outputs, spills) is moved aside to {@code weft.failed-disk} and a plain file takes
     * its place, so that every later write there fails ("Not a directory") and the outputs it held are gone.
     *
     * @return the directories that were failed
     */
    static List<Path> failDisks(List<Path> localDirs, String application) throws IOException {
        List<Path> failed = new ArrayList<>();
        for (Path local : localDirs) {
            Path users = local.resolve("usercache");
            if (!Files.isDirectory(users)) {
                continue;
            }
            List<Path> appDirs;
            try (Stream<Path> walk = Files.walk(users, 3)) {
                appDirs = walk.filter(p -> p.getFileName().toString().equals(application))
                        .filter(p -> p.getParent().getFileName().toString().equals("appcache"))
                        .toList();
            }
            for (Path app : appDirs) {
                Path weft =
                        app.resolve(ShuffleFileNames.DIR_UNDER_APP_LOCAL_DIR).getParent();
                if (Files.isDirectory(weft)) {
                    Files.move(weft, weft.resolveSibling(weft.getFileName() + ".failed-disk"));
                    Files.createFile(weft);
                    failed.add(weft);
                }
            }
        }
        return failed;
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
