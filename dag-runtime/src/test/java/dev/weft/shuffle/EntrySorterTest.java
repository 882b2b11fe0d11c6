package dev.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.core.HashPartitioner;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.ValueSerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pointer sort against {@link java.util.Arrays#sort} of the same keys as byte arrays. */
class EntrySorterTest {
    private static ShuffleSpec spec(KeyOrdering ordering, int partitions) {
        return new ShuffleSpec(
                1,
                new HashPartitioner(partitions),
                ValueSerializer.instance(),
                ValueSerializer.instance(),
                ordering,
                null,
                null,
                false);
    }

    @Test
    void sortsByPartitionThenUnsignedKeyBytes() {
        Random r = new Random(17);
        int partitions = 5;
        RecordBuffer buffer = new RecordBuffer(MemoryReservation.unbudgeted(), 1 << 16);
        List<List<byte[]>> expected = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            expected.add(new ArrayList<>());
        }
        for (int i = 0; i < 50_000; i++) {
            // short keys, keys sharing 8-byte prefixes, bytes >= 0x80, and many duplicates
            int len = r.nextInt(4) == 0 ? r.nextInt(3) : 8 + r.nextInt(6);
            byte[] key = new byte[len];
            for (int j = 0; j < len; j++) {
                key[j] = (byte) (j < 8 && len > 8 ? 0xF0 : r.nextInt(3) * 0x7F);
            }
            int p = r.nextInt(partitions);
            buffer.append(p, key, key.length, new byte[] {(byte) i}, 1, true);
            expected.get(p).add(key);
        }
        int[] starts = EntrySorter.sort(buffer, partitions, new KeyOrder(spec(KeyOrdering.GROUPED, partitions)));
        BufferRun run = new BufferRun(buffer, starts);
        for (int p = 0; p < partitions; p++) {
            List<byte[]> want = expected.get(p);
            want.sort(Arrays::compareUnsigned);
            List<byte[]> got = new ArrayList<>();
            RecordSource s = run.partition(p);
            try {
                while (s.next()) {
                    got.add(Arrays.copyOfRange(s.keyBuf(), s.keyOff(), s.keyOff() + s.keyLen()));
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            assertEquals(want.size(), got.size(), "partition " + p);
            for (int i = 0; i < want.size(); i++) {
                assertEquals(
                        Arrays.toString(want.get(i)), Arrays.toString(got.get(i)), "partition " + p + " index " + i);
            }
        }
    }

    @Test
    void sortsObjectsWhenKeysAreNotOrderPreserving() throws Exception {
        Random r = new Random(4);
        RecordBuffer buffer = new RecordBuffer(MemoryReservation.unbudgeted(), 1 << 16);
        List<List<Integer>> lists = new ArrayList<>();
        RecordOutput out = new RecordOutput();
        for (int i = 0; i < 3_000; i++) {
            // Lists are not order-preserving; natural order is undefined, so use a comparator on the sum
            List<Integer> key = List.of(r.nextInt(500) - 250, r.nextInt(3));
            out.reset();
            ValueSerializer.INSTANCE.write(key, out);
            buffer.append(0, out.toByteArray(), out.size(), new byte[0], 0, false);
            lists.add(key);
        }
        Comparator<Object> bySum = Comparator.comparingInt(
                k -> ((List<?>) k).stream().mapToInt(x -> (Integer) x).sum());
        ShuffleSpec spec = new ShuffleSpec(
                1,
                new HashPartitioner(1),
                ValueSerializer.instance(),
                ValueSerializer.instance(),
                KeyOrdering.SORTED,
                bySum,
                null,
                false);
        int[] starts = EntrySorter.sort(buffer, 1, new KeyOrder(spec));
        RecordSource s = new BufferRun(buffer, starts).partition(0);
        List<Integer> sums = new ArrayList<>();
        while (s.next()) {
            sums.add(((List<?>) s.key(spec.keySerializer()))
                    .stream().mapToInt(x -> (Integer) x).sum());
        }
        List<Integer> want =
                lists.stream().map(k -> k.get(0) + k.get(1)).sorted().toList();
        assertEquals(want, sums);
    }
}
