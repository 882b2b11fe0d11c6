package dev.weft.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import javax.management.BadAttributeValueExpException;
import org.junit.jupiter.api.Test;

/** Bytes from an executor are untrusted: gadget entry points and unbounded graphs are refused, values pass. */
class DeserializationFilterTest {
    private static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(o);
        }
        return bos.toByteArray();
    }

    private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ValueSerializer.ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    record Point(int x, String label) implements Serializable {}

    @Test
    void ordinaryValuesPass() throws Exception {
        Object value = Map.of("k", List.of(new Point(1, "a"), new Point(2, "b")), "n", new long[] {1, 2, 3});
        Object back = deserialize(serialize(value));
        assertEquals(List.of(new Point(1, "a"), new Point(2, "b")), ((Map<?, ?>) back).get("k"));
    }

    @Test
    void aKnownGadgetEntryPointIsRefused() throws Exception {
        // BadAttributeValueExpException's readObject calls toString() on its field: the start of classic chains.
        byte[] bytes = serialize(new BadAttributeValueExpException("x"));
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> deserialize(bytes));
        assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    }

    @Test
    void aGraphDeeperThanTheLimitIsRefused() throws Exception {
        Object[] root = new Object[1];
        Object[] current = root;
        for (int i = 0; i < DeserializationFilter.MAX_DEPTH + 10; i++) {
            Object[] next = new Object[1];
            current[0] = next;
            current = next;
        }
        byte[] bytes = serialize(root);
        assertThrows(InvalidClassException.class, () -> deserialize(bytes));
    }

    @Test
    void aHugeArrayLengthIsRefusedBeforeAllocating() throws Exception {
        byte[] bytes = serialize(new long[] {7, 7});
        // The stream ends with the length (2) and the two longs: claim 2^30 elements instead (8 GiB).
        int lengthAt = bytes.length - 2 * Long.BYTES - Integer.BYTES;
        assertEquals(2, java.nio.ByteBuffer.wrap(bytes, lengthAt, 4).getInt());
        java.nio.ByteBuffer.wrap(bytes, lengthAt, 4).putInt(1 << 30);
        InvalidClassException e = assertThrows(InvalidClassException.class, () -> deserialize(bytes));
        assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    }
}
