package dev.weft.transport;

import java.util.Locale;

/** A fetched block whose bytes do not match the CRC32C the map task recorded; code {@link ErrorCode#CORRUPT_BLOCK}. */
public final class BlockCorruptionException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final int shuffleId;
    private final int mapId;
    private final long attemptId;
    private final int reduceId;

    public BlockCorruptionException(
            int shuffleId, int mapId, long attemptId, int reduceId, int expectedCrc, int actualCrc) {
        super(
                ErrorCode.CORRUPT_BLOCK,
                String.format(
                        Locale.ROOT,
                        "block shuffle=%d map=%d attempt=%d reduce=%d: crc32c %08x, expected %08x",
                        shuffleId,
                        mapId,
                        attemptId,
                        reduceId,
                        actualCrc,
                        expectedCrc));
        this.shuffleId = shuffleId;
        this.mapId = mapId;
        this.attemptId = attemptId;
        this.reduceId = reduceId;
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
}
