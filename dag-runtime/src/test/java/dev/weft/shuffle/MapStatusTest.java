package dev.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MapStatusTest {
    private static final BlockLocation LOC = new BlockLocation("exec-1", "h1", 7337);

    /** Random lengths from 1 B to 16 GiB (below the log scale's cap), with empties; the same for the same seed. */
    private static long[] lengths(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            out[i] = kind < 2 ? 0 : kind < 4 ? 1 + r.nextInt(100) : r.nextLong(1, 1L << (10 + r.nextInt(25)));
        }
        return out;
    }

    private static MapStatus roundTrip(MapStatus s) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            return (MapStatus) in.readObject();
        }
    }

    @Test
    void upToTheThresholdEachBlockHasALogScaleEstimateWithinTenPercent() {
        long[] lengths = lengths(BlockSizes.EXACT_ENCODING_MAX_BLOCKS, 1);
        MapStatus s = MapStatus.of(0, 3, 9, LOC, lengths);
        assertInstanceOf(LogScaleBlockSizes.class, s.sizes());
        assertEquals(lengths.length, s.numPartitions());
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(lengths[i] == 0, s.isEmpty(i), "block " + i);
            long estimate = s.estimatedLength(i);
            assertTrue(estimate >= lengths[i], "block " + i + ": " + estimate + " < " + lengths[i]);
            assertTrue(estimate < 1.1 * lengths[i] + 1, "block " + i + ": " + estimate + " vs " + lengths[i]);
        }
    }

    @Test
    void logScaleCodesAreTheSmallestThatCoverTheLength() {
        for (long length : new long[] {1, 2, 3, 10, 11, 12, 1000, 1 << 20, 123_456_789L, 1L << 34}) {
            int code = LogScaleBlockSizes.encode(length);
            assertTrue(LogScaleBlockSizes.decode(code) >= length, "length " + length);
            assertTrue(code == 1 || LogScaleBlockSizes.decode(code - 1) < length, "length " + length);
        }
        assertEquals(0, LogScaleBlockSizes.encode(0));
        assertEquals(255, LogScaleBlockSizes.encode(Long.MAX_VALUE));
        assertEquals(LogScaleBlockSizes.MAX_ENCODED_LENGTH, LogScaleBlockSizes.decode(255));
        assertThrows(IllegalArgumentException.class, () -> LogScaleBlockSizes.encode(-1));
    }

    @Test
    void aboveTheThresholdEmptiesAreExactHugeBlocksExactAndTheRestAveraged() {
        int n = BlockSizes.EXACT_ENCODING_MAX_BLOCKS + 1;
        long[] lengths = new long[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = i % 7 == 0 ? 0 : 100 + i % 3; // 100, 101 or 102
        }
        lengths[5] = 1_000_000; // huge: far above 5 × the mean
        lengths[2000] = 77_777;
        MapStatus s = MapStatus.of(0, 3, 9, LOC, lengths);
        AveragedBlockSizes sizes = assertInstanceOf(AveragedBlockSizes.class, s.sizes());
        assertEquals(2, sizes.hugeBlocks().length);
        long restTotal = 0;
        int rest = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(lengths[i] == 0, s.isEmpty(i), "block " + i);
            if (i == 5 || i == 2000) {
                assertEquals(lengths[i], s.estimatedLength(i), "huge block " + i);
            } else if (lengths[i] == 0) {
                assertEquals(0, s.estimatedLength(i));
            } else {
                restTotal += lengths[i];
                rest++;
            }
        }
        long average = sizes.averageLength();
        assertTrue(average * rest >= restTotal && average * rest < restTotal + rest, "average " + average);
        assertEquals(average, s.estimatedLength(1));
    }

    @Test
    void allEmptyAndNoneEmptyAboveTheThreshold() {
        int n = 10_000;
        MapStatus empty = MapStatus.of(0, 0, 0, LOC, new long[n]);
        long[] ones = new long[n];
        java.util.Arrays.fill(ones, 1);
        MapStatus full = MapStatus.of(0, 0, 0, LOC, ones);
        for (int i = 0; i < n; i++) {
            assertTrue(empty.isEmpty(i));
            assertEquals(0, empty.estimatedLength(i));
            assertFalse(full.isEmpty(i));
            assertEquals(1, full.estimatedLength(i));
        }
    }

    @Test
    void roundTripsThroughJavaSerializationInBothEncodings() throws Exception {
        for (int n : new int[] {0, 2, BlockSizes.EXACT_ENCODING_MAX_BLOCKS, 10_000}) {
            long[] lengths = lengths(n, n);
            MapStatus s = MapStatus.of(4, 2, 33, LOC, lengths);
            MapStatus back = roundTrip(s);
            assertEquals(s, back);
            for (int i = 0; i < n; i++) {
                assertEquals(lengths[i] == 0, back.isEmpty(i));
                assertEquals(s.estimatedLength(i), back.estimatedLength(i));
            }
        }
    }

    @Test
    void aManyBlockStatusIsSmallOnTheWire() throws Exception {
        long[] lengths = lengths(10_000, 5);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(MapStatus.of(0, 0, 0, LOC, lengths));
        }
        // One long per block would be 80,000 bytes; a bit per block is 1,250 plus the huge blocks' 12 bytes each.
        assertTrue(bos.size() < 10_000, "serialized " + bos.size() + " bytes");
    }

    @Test
    void outOfRangeBlocksAreRejected() {
        MapStatus small = MapStatus.of(0, 0, 0, LOC, new long[] {1, 0});
        MapStatus large = MapStatus.of(0, 0, 0, LOC, new long[3000]);
        assertThrows(IndexOutOfBoundsException.class, () -> small.isEmpty(2));
        assertThrows(IndexOutOfBoundsException.class, () -> large.isEmpty(3000));
        assertThrows(IndexOutOfBoundsException.class, () -> large.estimatedLength(-1));
    }

    @Test
    void constructorsCheckTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> MapStatus.of(0, 0, 0, LOC, new long[] {-1}));
        BitSet empty = new BitSet();
        empty.set(3);
        assertThrows(
                IllegalArgumentException.class, () -> new AveragedBlockSizes(3, empty, 1, new int[0], new long[0]));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AveragedBlockSizes(5, new BitSet(), 1, new int[] {2, 1}, new long[] {9, 9}));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AveragedBlockSizes(5, empty, 1, new int[] {3}, new long[] {9}));
        assertThrows(
                IllegalArgumentException.class,
                () -> new AveragedBlockSizes(5, new BitSet(), 1, new int[] {1}, new long[0]));
        assertThrows(IllegalArgumentException.class, () -> new MapStatus(0, -1, 0, LOC, BlockSizes.of(new long[1])));
    }

    @Test
    void withLocationKeepsEverythingElse() {
        MapStatus s = MapStatus.of(4, 2, 33, LOC, new long[] {0, 10});
        BlockLocation service = new BlockLocation("exec-1", "h1", 7447);
        MapStatus moved = s.withLocation(service);
        assertEquals(service, moved.location());
        assertEquals(new MapStatus(4, 2, 33, service, s.sizes()), moved);
    }
}
