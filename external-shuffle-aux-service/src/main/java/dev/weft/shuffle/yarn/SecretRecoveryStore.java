package dev.weft.shuffle.yarn;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists app registrations under the NodeManager's recovery path so that fetches resume after a NodeManager restart
 * (the NM does not replay {@code initializeApplication} for apps whose executors have exited).
 *
 * <p>One file per app, named after the app id, written to a temporary name and renamed, so a crash leaves either the
 * old file or the new one. Layout, big-endian: {@code int version (1), short userLength, user (UTF-8), int
 * secretLength, secret, int CRC32C of everything before}. Files are readable by the NodeManager user only.
 *
 * <p>Not thread-safe: the service calls it from a single thread (its recovery writer), because file I/O must stay off
 * the NodeManager dispatcher thread and per-app writes and deletes must keep their order.
 */
public final class SecretRecoveryStore {
    private static final Logger LOG = LoggerFactory.getLogger(SecretRecoveryStore.class);
    private static final int VERSION = 1;
    private static final String SUFFIX = ".app";
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path dir;

    public SecretRecoveryStore(Path dir) {
        this.dir = requireNonNull(dir, "dir is null");
    }

    public Path dir() {
        return dir;
    }

    /** Writes (or overwrites) the app's file. */
    public void save(AppSecrets.Registration registration) throws IOException {
        Files.createDirectories(dir);
        Path target = fileOf(registration.appId());
        Path temp = dir.resolve(TEMP_PREFIX + registration.appId() + SUFFIX);
        Files.deleteIfExists(temp);
        createOwnerOnly(temp);
        Files.write(temp, encode(registration));
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException("recovery dir " + dir + " cannot rename atomically", e);
        }
    }

    /** Deletes the app's file; returns whether there was one. */
    public boolean delete(String appId) throws IOException {
        if (!AppIds.isValid(appId)) {
            return false;
        }
        return Files.deleteIfExists(fileOf(appId));
    }

    /**
     * Reads every app file. Unreadable or corrupt files are logged and skipped (they stay for inspection); leftover
     * temporary files from an interrupted save are deleted.
     */
    public List<AppSecrets.Registration> loadAll() throws IOException {
        List<AppSecrets.Registration> loaded = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return loaded;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(TEMP_PREFIX)) {
                    Files.deleteIfExists(file);
                    continue;
                }
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                String appId = name.substring(0, name.length() - SUFFIX.length());
                try {
                    loaded.add(decode(appId, Files.readAllBytes(file)));
                } catch (IOException | IllegalArgumentException e) {
                    LOG.warn("skipping unreadable shuffle recovery file {}: {}", file, e.toString());
                }
            }
        }
        return loaded;
    }

    private Path fileOf(String appId) {
        if (!AppIds.isValid(appId)) {
            throw new IllegalArgumentException("not an application id: " + appId);
        }
        return dir.resolve(appId + SUFFIX);
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system; the recovery dir's own permissions (set by the NM: 0700) have to do.
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException ignored) {
                // Deleted just before; a concurrent writer is impossible (single recovery thread).
            }
        }
    }

    static byte[] encode(AppSecrets.Registration registration) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] user = registration.user().getBytes(StandardCharsets.UTF_8);
            out.writeInt(VERSION);
            out.writeShort(user.length);
            out.write(user);
            out.writeInt(registration.secret().length);
            out.write(registration.secret());
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        }
        return bytes.toByteArray();
    }

    static AppSecrets.Registration decode(String appId, byte[] bytes) throws IOException {
        if (bytes.length < 14) {
            throw new IOException("truncated: " + bytes.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if ((int) crc.getValue() != b.getInt(bytes.length - 4)) {
            throw new IOException("checksum mismatch");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IOException("unsupported version " + version);
        }
        int userLength = Short.toUnsignedInt(b.getShort());
        if (userLength > b.remaining() - 8) {
            throw new IOException("user length " + userLength + " exceeds the file");
        }
        byte[] user = new byte[userLength];
        b.get(user);
        int secretLength = b.getInt();
        if (secretLength < 0 || secretLength != b.remaining() - 4) {
            throw new IOException("secret length " + secretLength + " does not match the file");
        }
        byte[] secret = new byte[secretLength];
        b.get(secret);
        return new AppSecrets.Registration(appId, new String(user, StandardCharsets.UTF_8), secret);
    }
}
