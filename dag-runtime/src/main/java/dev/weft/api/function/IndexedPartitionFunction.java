package dev.weft.api.function;

import java.io.Serializable;
import java.util.Iterator;

/** Transforms a whole partition knowing its index ({@code mapPartitionsWithIndex}). */
@FunctionalInterface
public interface IndexedPartitionFunction<A, B> extends Serializable {
    Iterator<B> apply(int partition, Iterator<A> records) throws Exception;
}
