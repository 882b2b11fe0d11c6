package dev.weft.transport.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.stream.ChunkedInput;
import java.io.EOFException;
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

    /**
     * A block as buffers of at most {@code chunkBytes}, for a sealed connection (which cannot use {@code sendfile});
     * closing it (Netty's {@link io.netty.handler.stream.ChunkedWriteHandler} does, after the last chunk or when the
     * write fails) drops the block's reference.
     */
    ChunkedInput<ByteBuf> chunks(long offset, long length, int chunkBytes) {
        return new Chunks(this, offset, length, chunkBytes);
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

    /** Reads a block with positional reads; confined to the channel's event loop like the write that drives it. */
    private static final class Chunks implements ChunkedInput<ByteBuf> {
        private final SharedDataFile file;
        private final long offset;
        private final long length;
        private final int chunkBytes;
        private long read;
        private boolean closed;

        Chunks(SharedDataFile file, long offset, long length, int chunkBytes) {
            if (chunkBytes < 1) {
                throw new IllegalArgumentException("chunkBytes must be >= 1: " + chunkBytes);
            }
            this.file = file;
            this.offset = offset;
            this.length = length;
            this.chunkBytes = chunkBytes;
        }

        @Override
        public boolean isEndOfInput() {
            return read >= length;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                file.release();
            }
        }

        @Deprecated
        @Override
        public ByteBuf readChunk(ChannelHandlerContext ctx) throws IOException {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) throws IOException {
            if (isEndOfInput()) {
                return null;
            }
            int n = (int) Math.min(chunkBytes, length - read);
            ByteBuf chunk = allocator.ioBuffer(n);
            boolean done = false;
            try {
                java.nio.ByteBuffer target = chunk.nioBuffer(0, n);
                while (target.hasRemaining()) {
                    int got = file.channel.read(target, offset + read + (n - target.remaining()));
                    if (got < 0) {
                        throw new EOFException("map output file ended " + (length - read - (n - target.remaining()))
                                + " bytes before the end of its block");
                    }
                }
                chunk.writerIndex(n);
                read += n;
                done = true;
                return chunk;
            } finally {
                if (!done) {
                    chunk.release();
                }
            }
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public long progress() {
            return read;
        }
    }
}
