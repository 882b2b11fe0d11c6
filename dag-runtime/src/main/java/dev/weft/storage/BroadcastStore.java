package dev.weft.storage;

import dev.weft.serde.RecordInput;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.ValueSerializer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver's broadcast values as serialized bytes, the form in which executors receive them.
 * Thread-safe.
 */
public final class BroadcastStore {
    private final Map<Long, byte[]> bytes = new ConcurrentHashMap<>();

    public void put(long id, Object value) {
        RecordOutput out = new RecordOutput(1024);
        ValueSerializer.INSTANCE.write(value, out);
        bytes.put(id, out.toByteArray());
    }

    /** The serialized value, or null when unknown or destroyed. */
    public byte[] get(long id) {
        return bytes.get(id);
    }

    public void remove(long id) {
        bytes.remove(id);
    }

    /** An executor-side resolver that deserializes each value once. */
    public BroadcastResolver resolver() {
        Map<Long, Object> values = new ConcurrentHashMap<>();
        return id -> {
            byte[] b = bytes.get(id);
            if (b == null) {
                values.remove(id);
                throw new IllegalStateException("broadcast " + id + " is unknown or was destroyed");
            }
            return values.computeIfAbsent(id, k -> ValueSerializer.INSTANCE.read(new RecordInput(b)));
        };
    }
}
