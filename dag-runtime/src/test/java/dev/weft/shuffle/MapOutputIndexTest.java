package dev.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapOutputIndexTest {
    @TempDir
    Path dir;

    private Path written() throws IOException {
        Path f = dir.resolve("x.index");
        MapOutputIndex.fromLengths(new long[] {10, 0, 5}, new int[] {7, 0, -3}).write(f);
        return f;
    }

    @Test
    void roundTrips() throws IOException {
        MapOutputIndex index = MapOutputIndex.read(written());
        assertEquals(3, index.numPartitions());
        assertEquals(10, index.offset(1));
        assertEquals(0, index.length(1));
        assertEquals(5, index.length(2));
        assertEquals(-3, index.checksum(2));
        assertEquals(15, index.dataLength());
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        byte[] good = Files.readAllBytes(written());
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Path f = dir.resolve("bad" + i);
            Files.write(f, bad);
            assertThrows(ShuffleCorruptionException.class, () -> MapOutputIndex.read(f), "flip at " + i);
        }
    }

    @Test
    void truncatedAndForeignFilesAreCorrupt() throws IOException {
        byte[] good = Files.readAllBytes(written());
        Path truncated = dir.resolve("t");
        Files.write(truncated, Arrays.copyOf(good, good.length - 1));
        ShuffleCorruptionException e =
                assertThrows(ShuffleCorruptionException.class, () -> MapOutputIndex.read(truncated));
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
        Path empty = dir.resolve("e");
        Files.write(empty, new byte[0]);
        assertThrows(ShuffleCorruptionException.class, () -> MapOutputIndex.read(empty));
        assertThrows(NoSuchFileException.class, () -> MapOutputIndex.read(dir.resolve("missing")));
    }

    @Test
    void rejectsInconsistentOffsets() {
        assertThrows(IllegalArgumentException.class, () -> new MapOutputIndex(new long[] {0, 5, 3}, new int[2]));
        assertThrows(IllegalArgumentException.class, () -> new MapOutputIndex(new long[] {1, 5}, new int[1]));
        assertThrows(IllegalArgumentException.class, () -> new MapOutputIndex(new long[] {0, 5}, new int[2]));
        long[] offsets = {0, 4};
        MapOutputIndex index = new MapOutputIndex(offsets, new int[1]);
        offsets[1] = 100;
        assertEquals(4, index.dataLength(), "defensive copy");
        assertArrayEquals(new long[] {0, 4}, new long[] {index.offset(0), index.dataLength()});
    }
}
