package dev.weft.shuffle;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A block read from the local map output files. Blocks up to {@value #IN_MEMORY_LIMIT} bytes are read once
 * into memory and verified there; larger ones get a streaming verification pass over the file and are then
 * streamed again, so memory stays bounded whatever the block size. Map output files are immutable once
 * committed, which makes the second pass see the bytes the first one verified.
 *
 * <p>Immutable and thread-safe; each {@link #open()} returns an independent stream.
 */
public final class LocalShuffleBlock implements ShuffleBlockSource {
    static final int IN_MEMORY_LIMIT = 256 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final ShuffleFiles files;
    private final int shuffleId;
    private final int mapId;
    private final long attemptId;
    private final int reduceId;
    private final String location;

    public LocalShuffleBlock(
            ShuffleFiles files, int shuffleId, int mapId, long attemptId, int reduceId, String location) {
        this.files = Objects.requireNonNull(files, "files is null");
        this.location = Objects.requireNonNull(location, "location is null");
        if (shuffleId < 0 || mapId < 0 || reduceId < 0) {
            throw new IllegalArgumentException(
                    "ids must be >= 0: shuffle " + shuffleId + " map " + mapId + " reduce " + reduceId);
        }
        this.shuffleId = shuffleId;
        this.mapId = mapId;
        this.attemptId = attemptId;
        this.reduceId = reduceId;
    }

    @Override
    public int mapId() {
        return mapId;
    }

    @Override
    public long mapAttemptId() {
        return attemptId;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public InputStream open() throws IOException {
        MapOutputIndex index = MapOutputIndex.read(files.indexFile(shuffleId, mapId, attemptId));
        if (reduceId >= index.numPartitions()) {
            throw new ShuffleCorruptionException(
                    describe() + ": index has only " + index.numPartitions() + " partitions");
        }
        long offset = index.offset(reduceId);
        long length = index.length(reduceId);
        int expected = index.checksum(reduceId);
        Path data = files.dataFile(shuffleId, mapId, attemptId);
        FileChannel channel = FileChannel.open(data, StandardOpenOption.READ);
        try {
            if (channel.size() != index.dataLength()) {
                throw new ShuffleCorruptionException(
                        describe() + ": data file has " + channel.size() + " bytes, index says " + index.dataLength());
            }
            if (length <= IN_MEMORY_LIMIT) {
                byte[] bytes = new byte[(int) length];
                readFully(channel, ByteBuffer.wrap(bytes), offset);
                CRC32C crc = new CRC32C();
                crc.update(bytes, 0, bytes.length);
                verify((int) crc.getValue(), expected);
                channel.close();
                return new ByteArrayInputStream(bytes);
            }
            verify(checksum(channel, offset, length), expected);
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return new BoundedStream(in, length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static int checksum(FileChannel channel, long offset, long length) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            buf.clear().limit((int) Math.min(CHUNK, end - pos));
            readFully(channel, buf, pos);
            buf.flip();
            crc.update(buf);
            pos += buf.limit();
        }
        return (int) crc.getValue();
    }

    private static void readFully(FileChannel channel, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new java.io.EOFException("data file ends at " + pos);
            }
            pos += n;
        }
    }

    private void verify(int actual, int expected) throws ShuffleCorruptionException {
        if (actual != expected) {
            throw new ShuffleCorruptionException(describe() + ": checksum mismatch (expected 0x"
                    + Integer.toHexString(expected) + ", got 0x" + Integer.toHexString(actual) + ")");
        }
    }

    private String describe() {
        return "shuffle " + shuffleId + " map " + mapId + " reduce " + reduceId + " (attempt " + attemptId + ")";
    }

    /** Streams exactly {@code length} bytes of the underlying stream. */
    private static final class BoundedStream extends FilterInputStream {
        private long left;

        BoundedStream(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
