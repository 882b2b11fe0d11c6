package dev.weft.shuffle.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TestShuffleServiceMetadata {
    @Test
    void roundTripsWithTheDocumentedLayout() {
        ByteBuffer encoded = new ShuffleServiceMetadata(7447).encode();
        assertEquals(8, encoded.remaining());
        assertEquals(1, encoded.getInt(0));
        assertEquals(7447, encoded.getInt(4));
        ShuffleServiceMetadata decoded = ShuffleServiceMetadata.decode(encoded);
        assertEquals(7447, decoded.port());
        assertTrue(decoded.available());
        assertEquals(0, encoded.position(), "decode must not consume the caller's buffer");
        assertFalse(new ShuffleServiceMetadata(0).available());
    }

    @Test
    void rejectsShortForeignAndOutOfRangePayloads() {
        assertThrows(IllegalArgumentException.class, () -> ShuffleServiceMetadata.decode(ByteBuffer.allocate(4)));
        assertThrows(
                IllegalArgumentException.class,
                () -> ShuffleServiceMetadata.decode(ByteBuffer.allocate(8).putInt(0, 2)));
        assertThrows(IllegalArgumentException.class, () -> new ShuffleServiceMetadata(65536));
        ByteBuffer longer = ByteBuffer.allocate(12).putInt(0, 1).putInt(4, 80);
        assertEquals(80, ShuffleServiceMetadata.decode(longer).port(), "later versions may append fields");
    }
}
