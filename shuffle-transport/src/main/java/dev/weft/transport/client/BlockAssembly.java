package dev.weft.transport.client;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects one block's bytes as they arrive and computes their CRC32C on the way: into a heap array, into a file of
 * its own (a block above the {@link BlockDownloads} threshold), or nowhere (draining a block of a failed or unknown
 * fetch: the bytes are only counted). Confined to one event loop.
 */
final class BlockAssembly {
    private static final Logger LOG = LoggerFactory.getLogger(BlockAssembly.class);
    final PendingFetch fetch;
    final int reduceId;
    final int expectedCrc;
    final long length;
    private final byte[] data;
    private final Path file;
    private FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private long received;

    private BlockAssembly(
            PendingFetch fetch, int reduceId, long length, int expectedCrc, byte[] data, Path file, FileChannel ch) {
        this.fetch = fetch;
        this.reduceId = reduceId;
        this.length = length;
        this.expectedCrc = expectedCrc;
        this.data = data;
        this.file = file;
        this.channel = ch;
    }

    /** Into heap ({@code keep}) or nowhere. */
    BlockAssembly(PendingFetch fetch, int reduceId, long length, int expectedCrc, boolean keep) {
        this(fetch, reduceId, length, expectedCrc, keep ? new byte[(int) length] : null, null, null);
    }

    /** Into a new file under {@code downloads}' directory. */
    static BlockAssembly toFile(
            PendingFetch fetch, int reduceId, long length, int expectedCrc, BlockDownloads downloads)
            throws IOException {
        Path file = downloads.newFile();
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
            return new BlockAssembly(fetch, reduceId, length, expectedCrc, null, file, ch);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Consumes all readable bytes of {@code chunk}; does not release it. */
    void append(ByteBuf chunk) {
        int n = chunk.readableBytes();
        if (data != null) {
            chunk.readBytes(data, (int) received, n);
            crc.update(data, (int) received, n);
        } else if (channel != null) {
            try {
                for (ByteBuffer b : chunk.nioBuffers()) {
                    crc.update(b.duplicate());
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write fetched block to " + file + ": " + e.getMessage(), e);
            }
            chunk.skipBytes(n);
        } else {
            chunk.skipBytes(n);
        }
        received += n;
    }

    boolean complete() {
        return received == length;
    }

    /** Whether the bytes are kept (in heap or in a file), rather than drained. */
    boolean kept() {
        return data != null || file != null;
    }

    int actualCrc() {
        return (int) crc.getValue();
    }

    /**
     * The verified block; for a file, closes it (the block then owns the file). Call once, when complete.
     */
    FetchedBlock toBlock(int shuffleId, int mapId, long attemptId) throws IOException {
        if (file == null) {
            return new FetchedBlock(shuffleId, mapId, attemptId, reduceId, data, actualCrc());
        }
        channel.close();
        channel = null;
        return FetchedBlock.onDisk(shuffleId, mapId, attemptId, reduceId, file, length, actualCrc());
    }

    /** Deletes the file of a block that will not be handed out (failed, corrupt, abandoned). Idempotent. */
    void discard() {
        if (file == null) {
            return;
        }
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete the fetched block file {}: {}", file, e.toString());
        }
    }
}
