package dev.weft.transport.client;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * One fetched and CRC32C-verified block, held in heap (no Netty buffer, nothing to release). Immutable; the data
 * views are read-only.
 */
public final class FetchedBlock {
    private final int shuffleId;
    private final int mapId;
    private final long attemptId;
    private final int reduceId;
    private final byte[] data;
    private final int crc32c;

    FetchedBlock(int shuffleId, int mapId, long attemptId, int reduceId, byte[] data, int crc32c) {
        this.shuffleId = shuffleId;
        this.mapId = mapId;
        this.attemptId = attemptId;
        this.reduceId = reduceId;
        this.data = data;
        this.crc32c = crc32c;
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

    public int length() {
        return data.length;
    }

    public int crc32c() {
        return crc32c;
    }

    /** A read-only view of the bytes. */
    public ByteBuffer data() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    public InputStream openStream() {
        return new ByteArrayInputStream(data);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "FetchedBlock[shuffle=%d, map=%d, attempt=%d, reduce=%d, %d bytes]",
                shuffleId,
                mapId,
                attemptId,
                reduceId,
                data.length);
    }
}
