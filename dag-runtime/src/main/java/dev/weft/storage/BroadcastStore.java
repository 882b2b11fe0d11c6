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
        return id -> values.computeIfAbsent(id, k -> {
            byte[] b = bytes.get(k);
            if (b == null) {
                throw new IllegalStateException("broadcast " + k + " is unknown or was destroyed");
            }
            return ValueSerializer.INSTANCE.read(new RecordInput(b));
        });
    }
}
