package dev.weft.shuffle.format;

import java.nio.ByteBuffer;

/**
 * What the NodeManager shuffle service ({@code weft_shuffle}) reports through {@code AuxiliaryService.getMetaData()},
 * and the driver reads from {@code NMClient.startContainer}'s returned map under {@code "weft_shuffle"}.
 * Layout, big-endian, 8 bytes: {@code int version} (= {@link #VERSION}), {@code int port}. Port 0 means the service
 * failed to start on that node and must not be used. Readers accept longer payloads of the same version, so later
 * versions can append fields. Lives here (not in the aux-service module) because the engine side needs it too.
 *
 * @param port the service's bound TCP port, or 0 when it is not serving
 */
public record ShuffleServiceMetadata(int port) {
    public static final int VERSION = 1;
    private static final int SIZE = 8;

    public ShuffleServiceMetadata {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Whether the service is serving on that node. */
    public boolean available() {
        return port != 0;
    }

    /** A fresh buffer positioned at 0, ready to hand to the NodeManager. */
    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putInt(VERSION).putInt(port);
        b.flip();
        return b;
    }

    /**
     * Parses the payload without moving {@code buffer}'s position.
     *
     * @throws IllegalArgumentException when it is too short or of another version
     */
    public static ShuffleServiceMetadata decode(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        if (b.remaining() < SIZE) {
            throw new IllegalArgumentException(
                    "shuffle service metadata of " + b.remaining() + " bytes, expected " + SIZE);
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("shuffle service metadata version " + version + ", expected " + VERSION);
        }
        return new ShuffleServiceMetadata(b.getInt());
    }
}
