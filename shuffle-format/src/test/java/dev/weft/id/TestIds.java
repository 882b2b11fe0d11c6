package dev.weft.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class TestIds {
    @Test
    void printReadably() {
        assertEquals("shuffle-3", new ShuffleId(3).toString());
        assertEquals("shuffle-3/map-5", MapOutputId.of(3, 5).toString());
        assertEquals("attempt-17", new TaskAttemptId(17).toString());
        assertEquals("exec-4", new ExecutorId("exec-4").toString());
    }

    @Test
    void rejectInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> new ShuffleId(-1));
        assertThrows(IllegalArgumentException.class, () -> MapOutputId.of(0, -1));
        assertThrows(IllegalArgumentException.class, () -> MapOutputId.of(-1, 0));
        assertThrows(NullPointerException.class, () -> new MapOutputId(null, 0));
        assertThrows(IllegalArgumentException.class, () -> new TaskAttemptId(-1));
        assertThrows(NullPointerException.class, () -> new ExecutorId(null));
        assertThrows(IllegalArgumentException.class, () -> new ExecutorId(" "));
    }

    @Test
    void zeroIsValid() {
        assertEquals(0, new ShuffleId(0).value());
        assertEquals(0, MapOutputId.of(0, 0).mapId());
        assertEquals(0L, new TaskAttemptId(0).value());
    }

    @Test
    void equalByValue() {
        assertEquals(MapOutputId.of(3, 5), new MapOutputId(new ShuffleId(3), 5));
        assertEquals(MapOutputId.of(3, 5).hashCode(), new MapOutputId(new ShuffleId(3), 5).hashCode());
        assertNotEquals(MapOutputId.of(3, 5), MapOutputId.of(5, 3));
        assertEquals(new ExecutorId("exec-1"), new ExecutorId("exec-1"));
    }

    /** Ids travel inside Java-serialized task descriptions and outcomes. */
    @Test
    void surviveJavaSerialization() throws Exception {
        Object[] ids = {new ShuffleId(3), MapOutputId.of(3, 5), new TaskAttemptId(9_000_000_000L), new ExecutorId("e")};
        for (Object id : ids) {
            assertEquals(id, roundTrip(id));
        }
    }

    private static Object roundTrip(Object o) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
