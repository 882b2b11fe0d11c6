package dev.weft.shuffle;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Combines the values of one key: {@code createCombiner} for the first value, {@code mergeValue} for
 * each further value, {@code mergeCombiners} to merge partial results (spills, map outputs). The
 * functions must be serializable; they run in tasks.
 */
public record Aggregator<V, C>(
        SerFunction<V, C> createCombiner, SerBiFunction<C, V, C> mergeValue, SerBiFunction<C, C, C> mergeCombiners)
        implements Serializable {

    public Aggregator {
        Objects.requireNonNull(createCombiner, "createCombiner is null");
        Objects.requireNonNull(mergeValue, "mergeValue is null");
        Objects.requireNonNull(mergeCombiners, "mergeCombiners is null");
    }

    /** A serializable {@link Function}. */
    public interface SerFunction<A, B> extends Function<A, B>, Serializable {}

    /** A serializable {@link BiFunction}. */
    public interface SerBiFunction<A, B, R> extends BiFunction<A, B, R>, Serializable {}
}
