package dev.weft.shuffle.yarn;

import static java.util.Objects.requireNonNull;

import dev.weft.transport.BlockNotFoundException;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Objects;

/**
 * Opens map output files that sit in directories an application's user owns, as the NodeManager's user, without
 * trusting that user: the directories and files may have been replaced by anything the user can create. A file is
 * opened only if
 * <ul>
 *   <li>its directory, with every link resolved, is the application's own shuffle directory under the NodeManager
 *       local dir it was found in (a link anywhere below the local dir, e.g. {@code weft -> /etc}, is refused);
 *   <li>it is itself not a link ({@link LinkOption#NOFOLLOW_LINKS} both when checked and when opened), but a
 *       regular file (a FIFO would block a disk thread forever, a device or directory is no map output);
 *   <li>it has one name (a hard link to a file of the NodeManager, e.g. its keytab, has two);
 *   <li>it is owned by the application's user or by the NodeManager's (whose containers write as it without the
 *       LinuxContainerExecutor);
 *   <li>it is the same file after opening as before (compared by file key: a swap between check and open is seen).
 * </ul>
 * Refusals are {@link ErrorCode#UNSAFE_FILE}; nothing of a refused file is read.
 *
 * <p>What Java cannot close: {@code open} has no {@code O_NONBLOCK}, so a FIFO swapped in during the microseconds
 * between the check and the open still blocks that disk thread until a writer appears.
 *
 * <p>Stateless; thread-safe.
 */
final class TenantFiles {
    /** Largest index read into the heap: 16 MiB holds 1.4 million partitions; 4 disk threads use 64 MiB at most. */
    static final long MAX_INDEX_BYTES = 16L << 20;

    private final String serviceUser;

    /** @param serviceUser the NodeManager's user, whose files are accepted too */
    TenantFiles(String serviceUser) {
        this.serviceUser = requireNonNull(serviceUser, "serviceUser is null");
    }

    /**
     * Reads a whole index file of at most {@link #MAX_INDEX_BYTES}.
     *
     * @param expectedDir the application's shuffle directory, links resolved
     */
    byte[] readIndex(Path file, Path expectedDir, String appUser, String what) throws IOException {
        try (FileChannel channel = open(file, expectedDir, appUser, what)) {
            long size = channel.size();
            if (size > MAX_INDEX_BYTES) {
                throw refused(what + ": index file of " + size + " bytes (the service reads at most " + MAX_INDEX_BYTES
                        + ")");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && channel.read(buf) >= 0) {
                // A regular file of a known size: reads until full, or until it shrank.
            }
            if (buf.hasRemaining()) {
                throw new IOException(what + ": index file shrank while read");
            }
            return buf.array();
        }
    }

    /**
     * Opens a file for reading after the checks in the class comment.
     *
     * @param expectedDir the application's shuffle directory, links resolved
     * @return a channel the caller closes
     * @throws BlockNotFoundException when the file does not exist
     * @throws TransportException {@link ErrorCode#UNSAFE_FILE} when a check fails
     */
    FileChannel open(Path file, Path expectedDir, String appUser, String what) throws IOException {
        PosixFileAttributes before = attributes(file, what);
        check(file, before, appUser, what);
        Path dir = file.getParent();
        Path realDir;
        try {
            realDir = dir.toRealPath();
        } catch (NoSuchFileException e) {
            throw BlockNotFoundException.notFound(what + ": no directory " + dir);
        }
        if (!realDir.equals(expectedDir)) {
            throw refused(what + ": " + dir + " leads to " + realDir + ", outside the application's directory "
                    + expectedDir);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw BlockNotFoundException.notFound(what + ": " + file + " vanished");
        } catch (IOException e) {
            // ELOOP: it became a link after the check.
            if (Files.isSymbolicLink(file)) {
                throw refused(what + ": " + file + " is a symbolic link");
            }
            throw e;
        }
        try {
            PosixFileAttributes after = attributes(file, what);
            if (!Objects.equals(before.fileKey(), after.fileKey())) {
                throw refused(what + ": " + file + " was replaced while it was opened");
            }
            return channel;
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    private void check(Path file, PosixFileAttributes a, String appUser, String what) throws IOException {
        if (a.isSymbolicLink()) {
            throw refused(what + ": " + file + " is a symbolic link");
        }
        if (!a.isRegularFile()) {
            throw refused(what + ": " + file + " is not a regular file (" + kind(a) + ")");
        }
        String owner = a.owner().getName();
        if (!owner.equals(appUser) && !owner.equals(serviceUser)) {
            throw refused(what + ": " + file + " is owned by " + owner + ", not by the application's user " + appUser);
        }
        Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (links instanceof Integer n && n != 1) {
            throw refused(what + ": " + file + " has " + n + " hard links");
        }
    }

    private static PosixFileAttributes attributes(Path file, String what) throws IOException {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw BlockNotFoundException.notFound(what + ": no " + file);
        }
    }

    private static String kind(PosixFileAttributes a) {
        if (a.isDirectory()) {
            return "a directory";
        }
        return a.isOther() ? "a FIFO, socket or device" : "not a file";
    }

    private static TransportException refused(String message) {
        return new TransportException(ErrorCode.UNSAFE_FILE, message);
    }
}
