package dev.weft.transport.client;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32C;

/**
 * Collects one block's bytes as they arrive and computes their CRC32C on the way. When {@code data} is null the
 * bytes are only counted and dropped (draining a block of a failed or unknown fetch). Confined to one event loop.
 */
final class BlockAssembly {
    final PendingFetch fetch;
    final int reduceId;
    final int expectedCrc;
    final long length;
    private final byte[] data;
    private final CRC32C crc = new CRC32C();
    private long received;

    BlockAssembly(PendingFetch fetch, int reduceId, long length, int expectedCrc, boolean keep) {
        this.fetch = fetch;
        this.reduceId = reduceId;
        this.length = length;
        this.expectedCrc = expectedCrc;
        this.data = keep ? new byte[(int) length] : null;
    }

    /** Consumes all readable bytes of {@code chunk}; does not release it. */
    void append(ByteBuf chunk) {
        int n = chunk.readableBytes();
        if (data != null) {
            chunk.readBytes(data, (int) received, n);
            crc.update(data, (int) received, n);
        } else {
            chunk.skipBytes(n);
        }
        received += n;
    }

    boolean complete() {
        return received == length;
    }

    boolean kept() {
        return data != null;
    }

    int actualCrc() {
        return (int) crc.getValue();
    }

    byte[] data() {
        return data;
    }
}
