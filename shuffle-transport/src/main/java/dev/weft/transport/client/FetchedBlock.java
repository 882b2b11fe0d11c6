package dev.weft.transport.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One fetched and CRC32C-verified block: held in heap (no Netty buffer, nothing to release), or, when it was larger
 * than the client's {@link BlockDownloads} threshold, in a file of its own that {@link #openStream()} reads once and
 * deletes when the stream is closed ({@link #discard()} deletes it unread). The data views are read-only.
 */
public final class FetchedBlock {
    private final int shuffleId;
    private final int mapId;
    private final long attemptId;
    private final int reduceId;
    private final byte[] data;
    private final Path file;
    private final long length;
    private final int crc32c;

    FetchedBlock(int shuffleId, int mapId, long attemptId, int reduceId, byte[] data, int crc32c) {
        this(shuffleId, mapId, attemptId, reduceId, data, null, data.length, crc32c);
    }

    private FetchedBlock(
            int shuffleId, int mapId, long attemptId, int reduceId, byte[] data, Path file, long length, int crc32c) {
        this.shuffleId = shuffleId;
        this.mapId = mapId;
        this.attemptId = attemptId;
        this.reduceId = reduceId;
        this.data = data;
        this.file = file;
        this.length = length;
        this.crc32c = crc32c;
    }

    static FetchedBlock onDisk(
            int shuffleId, int mapId, long attemptId, int reduceId, Path file, long length, int crc32c) {
        return new FetchedBlock(shuffleId, mapId, attemptId, reduceId, null, file, length, crc32c);
    }

    public int shuffleId() {
        return shuffleId;
    }

    public int mapId() {
        return mapId;
    }

    public long attemptId() {
        return attemptId;
    }

    public int reduceId() {
        return reduceId;
    }

    public long length() {
        return length;
    }

    public int crc32c() {
        return crc32c;
    }

    /** Whether the bytes are in a file rather than in heap. */
    public boolean onDisk() {
        return file != null;
    }

    /**
     * A read-only view of the bytes of a block held in heap.
     *
     * @throws IllegalStateException for a block on disk: read it with {@link #openStream()}
     */
    public ByteBuffer data() {
        if (file != null) {
            throw new IllegalStateException(this + " is on disk at " + file + "; read it with openStream()");
        }
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /**
     * The bytes as a stream. A block on disk can be opened once: its file is deleted when the stream is closed.
     *
     * @throws IOException when the file cannot be opened (already opened, or discarded)
     */
    public InputStream openStream() throws IOException {
        if (file == null) {
            return new ByteArrayInputStream(data);
        }
        return Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
    }

    /** Deletes a block on disk that nobody will read; nothing for a block in heap. Idempotent. */
    public void discard() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // The directory belongs to the executor and goes with it; nothing to act on here.
                return;
            }
        }
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "FetchedBlock[shuffle=%d, map=%d, attempt=%d, reduce=%d, %d bytes%s]",
                shuffleId,
                mapId,
                attemptId,
                reduceId,
                length,
                file == null ? "" : ", on disk");
    }
}
