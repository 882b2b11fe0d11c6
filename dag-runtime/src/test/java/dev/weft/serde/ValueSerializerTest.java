package dev.weft.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.Pair;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValueSerializerTest {
    private final ValueSerializer ser = ValueSerializer.INSTANCE;

    record Point(int x, int y) implements Serializable {}

    private byte[] bytes(Object v) {
        RecordOutput out = new RecordOutput(8);
        ser.write(v, out);
        return out.toByteArray();
    }

    private Object roundTrip(Object v) {
        byte[] b = bytes(v);
        RecordInput in = new RecordInput(b);
        Object back = ser.read(in);
        assertEquals(0, in.remaining(), "read must consume exactly what write produced for " + v);
        return back;
    }

    @Test
    void roundTripsEveryBuiltInTypeAndTheJavaFallback() {
        List<Object> values = Arrays.asList(
                null,
                true,
                false,
                (byte) -3,
                (short) 300,
                'x',
                '\u00e9',
                0,
                -1,
                Integer.MIN_VALUE,
                Integer.MAX_VALUE,
                5L,
                Long.MIN_VALUE,
                1.5f,
                -0.0,
                Double.NaN,
                3.25,
                "",
                "hello",
                "h\u00e9llo \u4e16\u754c \ud83d\ude00",
                "nul\u0000inside",
                Pair.of("k", 1L),
                Pair.of(Pair.of(1, "a"), null),
                new ArrayList<>(List.of(1, "two", 3.0)),
                new Point(1, 2));
        for (Object v : values) {
            assertEquals(v, roundTrip(v), "round trip of " + v);
        }
        byte[] raw = {0, 1, 0, 0, (byte) 255, 7};
        assertArrayEquals(raw, (byte[]) roundTrip(raw));
    }

    @Test
    void byteOrderMatchesNaturalOrderForOrderPreservingValues() {
        Random rnd = new Random(42);
        List<Object> samples = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            samples.add(rnd.nextInt() >> rnd.nextInt(31));
            samples.add(rnd.nextLong() >> rnd.nextInt(63));
            samples.add((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(20) - 10));
            samples.add(randomString(rnd));
            samples.add(Pair.of(randomString(rnd), rnd.nextInt(5)));
        }
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < Math.min(samples.size(), i + 40); j++) {
                Object a = samples.get(i);
                Object b = samples.get(j);
                if (a.getClass() != b.getClass()) {
                    continue;
                }
                byte[] ba = bytes(a);
                byte[] bb = bytes(b);
                assertTrue(ser.orderPreserving(ba, 0, ba.length));
                assertEquals(
                        Integer.signum(natural(a, b)),
                        Integer.signum(Arrays.compareUnsigned(ba, bb)),
                        "order of " + a + " vs " + b);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int natural(Object a, Object b) {
        if (a instanceof Pair pa && b instanceof Pair pb) {
            int c = ((Comparable) pa.key()).compareTo(pb.key());
            return c != 0 ? c : ((Comparable) pa.value()).compareTo(pb.value());
        }
        return ((Comparable) a).compareTo(b);
    }

    private static String randomString(Random rnd) {
        int n = rnd.nextInt(6);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(4);
            sb.append(
                    kind == 0
                            ? (char) (0x4e00 + rnd.nextInt(100))
                            : kind == 1 ? (char) (0xe0 + rnd.nextInt(20)) : (char) ('a' + rnd.nextInt(3)));
        }
        return sb.toString();
    }

    @Test
    void javaSerializedValuesAreNotOrderPreserving() {
        byte[] b = bytes(new Point(1, 2));
        assertFalse(ser.orderPreserving(b, 0, b.length));
        byte[] p = bytes(Pair.of(new Point(1, 2), 3));
        assertFalse(ser.orderPreserving(p, 0, p.length));
    }

    @Test
    void malformedBytesGiveASerializationExceptionNotACrash() {
        assertThrows(SerializationException.class, () -> ser.read(new RecordInput(new byte[] {0x55})));
        assertThrows(SerializationException.class, () -> ser.read(new RecordInput(new byte[] {0x09, 'a', 'b'})));
        assertThrows(SerializationException.class, () -> ser.read(new RecordInput(new byte[] {0x06, 1, 2})));
        assertThrows(SerializationException.class, () -> ser.read(new RecordInput(new byte[] {0x7F, 100, 1})));
    }

    @Test
    void aNonSerializableValueNamesItsClass() {
        Object notSerializable = new Object();
        SerializationException e = assertThrows(SerializationException.class, () -> bytes(notSerializable));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }
}
