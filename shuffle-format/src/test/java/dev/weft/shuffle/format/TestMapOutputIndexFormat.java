package dev.weft.shuffle.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestMapOutputIndexFormat {
    @TempDir
    Path dir;

    private static PartitionIndex sample() {
        return PartitionIndex.fromLengths(new long[] {10, 0, 5}, new int[] {7, 0, -3});
    }

    @Test
    void roundTripsThroughAFile() throws IOException {
        Path file = dir.resolve("x.index");
        MapOutputIndexFormat.write(sample(), file);
        assertEquals(MapOutputIndexFormat.serializedSize(3), Files.size(file));
        PartitionIndex index = MapOutputIndexFormat.read(file);
        assertEquals(3, index.numPartitions());
        assertEquals(10, index.offset(1));
        assertEquals(0, index.length(1));
        assertEquals(5, index.length(2));
        assertEquals(-3, index.checksum(2));
        assertEquals(15, index.dataLength());
        assertTrue(index.contains(2));
        assertFalse(index.contains(3));
        assertFalse(index.contains(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> index.offset(3));
    }

    @Test
    void layoutIsTheDocumentedOne() throws IOException {
        byte[] bytes = MapOutputIndexFormat.encode(sample());
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(0x57465349, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(3, b.getInt());
        assertArrayEquals(new long[] {0, 10, 10, 15}, new long[] {b.getLong(), b.getLong(), b.getLong(), b.getLong()});
        assertArrayEquals(new int[] {7, 0, -3}, new int[] {b.getInt(), b.getInt(), b.getInt()});
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        assertEquals((int) crc.getValue(), b.getInt());
        assertEquals(0, b.remaining());
    }

    @Test
    void everyFlippedBitIsDetected() {
        byte[] good = MapOutputIndexFormat.encode(sample());
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThrows(
                        IndexFormatException.class,
                        () -> MapOutputIndexFormat.decode(bad, "bad"),
                        "flip at " + i + "." + bit);
            }
        }
    }

    @Test
    void truncatedEmptyAndMissingFiles() throws IOException {
        byte[] good = MapOutputIndexFormat.encode(sample());
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            IndexFormatException e =
                    assertThrows(IndexFormatException.class, () -> MapOutputIndexFormat.decode(cut, "cut-file"));
            assertTrue(e.getMessage().contains("cut-file"), e.getMessage());
        }
        assertThrows(
                IndexFormatException.class,
                () -> MapOutputIndexFormat.decode(Arrays.copyOf(good, good.length + 1), "long"));
        assertThrows(NoSuchFileException.class, () -> MapOutputIndexFormat.read(dir.resolve("missing")));
    }

    @Test
    void hugePartitionCountIsRejectedWithoutAllocating() {
        byte[] bytes = MapOutputIndexFormat.encode(sample());
        ByteBuffer.wrap(bytes).putInt(8, Integer.MAX_VALUE);
        assertThrows(IndexFormatException.class, () -> MapOutputIndexFormat.decode(bytes, "huge"));
        ByteBuffer.wrap(bytes).putInt(8, -1);
        assertThrows(IndexFormatException.class, () -> MapOutputIndexFormat.decode(bytes, "negative"));
    }

    @Test
    void decreasingOffsetsWithAValidChecksumAreInconsistent() {
        ByteBuffer b = ByteBuffer.allocate(MapOutputIndexFormat.serializedSize(2));
        b.putInt(MapOutputIndexFormat.MAGIC)
                .putInt(MapOutputIndexFormat.VERSION)
                .putInt(2);
        b.putLong(0).putLong(9).putLong(4).putInt(1).putInt(2);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        IndexFormatException e =
                assertThrows(IndexFormatException.class, () -> MapOutputIndexFormat.decode(b.array(), "dec"));
        assertTrue(e.getMessage().contains("inconsistent"), e.getMessage());
    }

    @Test
    void constructorValidatesAndCopies() {
        assertThrows(IllegalArgumentException.class, () -> new PartitionIndex(new long[] {0, 5, 3}, new int[2]));
        assertThrows(IllegalArgumentException.class, () -> new PartitionIndex(new long[] {1, 5}, new int[1]));
        assertThrows(IllegalArgumentException.class, () -> new PartitionIndex(new long[] {0, 5}, new int[2]));
        long[] offsets = {0, 4};
        PartitionIndex index = new PartitionIndex(offsets, new int[1]);
        offsets[1] = 100;
        assertEquals(4, index.dataLength());
    }
}
