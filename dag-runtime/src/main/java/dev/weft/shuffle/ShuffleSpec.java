package dev.weft.shuffle;

import dev.weft.core.Partitioner;
import dev.weft.serde.Serializer;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;

/**
 * Everything a map task needs to write, and a reduce task to read, one shuffle. Travels inside tasks.
 *
 * @param shuffleId      unique per context
 * @param partitioner    assigns each key a reduce partition
 * @param keySerializer  serializer of keys; grouping uses its bytes, so it must be deterministic
 * @param valueSerializer serializer of map-output values (combiners when {@code mapSideCombine})
 * @param ordering       what the reducer needs; see {@link KeyOrdering}
 * @param keyComparator  order for {@link KeyOrdering#SORTED} when keys are not order-preserving as bytes;
 *                       null means natural order ({@link Comparable})
 * @param aggregator     null for no aggregation
 * @param mapSideCombine combine on the map side (only with an aggregator); map output values are then
 *                       combiners and the reducer merges them with {@code mergeCombiners}
 * @param descending     for {@link KeyOrdering#SORTED}: reverse the order (of bytes or of the comparator)
 */
public record ShuffleSpec(
        int shuffleId,
        Partitioner partitioner,
        Serializer<Object> keySerializer,
        Serializer<Object> valueSerializer,
        KeyOrdering ordering,
        Comparator<Object> keyComparator,
        Aggregator<Object, Object> aggregator,
        boolean mapSideCombine,
        boolean descending)
        implements Serializable {

    /** An ascending (or unordered) shuffle. */
    public ShuffleSpec(
            int shuffleId,
            Partitioner partitioner,
            Serializer<Object> keySerializer,
            Serializer<Object> valueSerializer,
            KeyOrdering ordering,
            Comparator<Object> keyComparator,
            Aggregator<Object, Object> aggregator,
            boolean mapSideCombine) {
        this(
                shuffleId,
                partitioner,
                keySerializer,
                valueSerializer,
                ordering,
                keyComparator,
                aggregator,
                mapSideCombine,
                false);
    }

    public ShuffleSpec {
        if (shuffleId < 0) {
            throw new IllegalArgumentException("shuffleId must be >= 0: " + shuffleId);
        }
        Objects.requireNonNull(partitioner, "partitioner is null");
        Objects.requireNonNull(keySerializer, "keySerializer is null");
        Objects.requireNonNull(valueSerializer, "valueSerializer is null");
        Objects.requireNonNull(ordering, "ordering is null");
        if (mapSideCombine && aggregator == null) {
            throw new IllegalArgumentException("mapSideCombine needs an aggregator");
        }
        if (descending && ordering != KeyOrdering.SORTED) {
            throw new IllegalArgumentException("descending needs SORTED ordering");
        }
        if (aggregator != null && ordering == KeyOrdering.NONE) {
            throw new IllegalArgumentException("aggregation needs GROUPED or SORTED ordering");
        }
    }

    public int numPartitions() {
        return partitioner.numPartitions();
    }
}
