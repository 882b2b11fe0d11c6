package dev.weft.transport.server;

import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open data file shared by the blocks of one request: each block's region holds a reference, and the last one
 * released closes the file and runs {@code onClose} (which returns the request's open-file permit). Thread-safe.
 */
final class SharedDataFile {
    private final FileChannel channel;
    private final Runnable onClose;
    private final AtomicInteger references;

    /** Starts with {@code references} references, one per non-empty block that will be sent or dropped. */
    SharedDataFile(FileChannel channel, int references, Runnable onClose) {
        if (references < 1) {
            throw new IllegalArgumentException("references must be >= 1: " + references);
        }
        this.channel = channel;
        this.references = new AtomicInteger(references);
        this.onClose = onClose;
    }

    /** A region for one block; Netty releases it after the write (or when the write fails), which drops its reference. */
    DefaultFileRegion region(long offset, long length) {
        return new Region(this, offset, length);
    }

    /** Drops one reference of a block that will not be sent. */
    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Read-only channel: nothing to lose.
            } finally {
                onClose.run();
            }
        } else if (left < 0) {
            throw new IllegalStateException("released more references than blocks");
        }
    }

    /**
     * A {@link DefaultFileRegion} (so that Netty's transports send it with {@code sendfile}) whose release drops a
     * reference instead of closing the shared channel.
     */
    private static final class Region extends DefaultFileRegion {
        private final SharedDataFile file;

        Region(SharedDataFile file, long offset, long length) {
            super(file.channel, offset, length);
            this.file = file;
        }

        @Override
        protected void deallocate() {
            file.release();
        }
    }
}
