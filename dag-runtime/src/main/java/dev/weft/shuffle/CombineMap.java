package dev.weft.shuffle;

import dev.weft.serde.RecordOutput;
import java.util.HashMap;
import java.util.Map;

/**
 * Map-side combining: a hash map from key object to combiner, fed with raw values through the
 * aggregator's {@code createCombiner} / {@code mergeValue}. Its heap footprint is estimated, not measured:
 * every {@value #SAMPLE_EVERY}th update serializes the touched key and combiner and the running average
 * of those sizes, times an object-overhead factor plus a fixed per-entry cost, is taken per entry.
 *
 * <p>Not thread-safe; owned by one map task.
 */
final class CombineMap {
    private static final int SAMPLE_EVERY = 64;
    /** Java objects are bigger than their compact serialized form (headers, padding, boxed fields). */
    private static final int OBJECT_FACTOR = 2;
    /** HashMap.Node, table slot and object headers of one entry. */
    private static final int ENTRY_OVERHEAD = 64;

    private final ShuffleSpec spec;
    private final HashMap<Object, Object> map = new HashMap<>();
    private final RecordOutput scratch = new RecordOutput();
    private long updates;
    private long sampledBytes;
    private long samples;

    CombineMap(ShuffleSpec spec) {
        this.spec = spec;
    }

    void insert(Object key, Object value) {
        Object combined = map.get(key);
        if (combined == null && !map.containsKey(key)) {
            combined = spec.aggregator().createCombiner().apply(value);
        } else {
            combined = spec.aggregator().mergeValue().apply(combined, value);
        }
        map.put(key, combined);
        if (updates++ % SAMPLE_EVERY == 0) {
            scratch.reset();
            spec.keySerializer().write(key, scratch);
            spec.valueSerializer().write(combined, scratch);
            sampledBytes += scratch.size();
            samples++;
        }
    }

    int size() {
        return map.size();
    }

    long estimatedBytes() {
        if (samples == 0) {
            return 0;
        }
        return (long) map.size() * (OBJECT_FACTOR * sampledBytes / samples + ENTRY_OVERHEAD);
    }

    Iterable<Map.Entry<Object, Object>> entries() {
        return map.entrySet();
    }

    void clear() {
        map.clear();
    }
}
