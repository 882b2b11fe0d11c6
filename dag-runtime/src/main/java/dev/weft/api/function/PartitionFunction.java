package dev.weft.api.function;

import java.io.Serializable;
import java.util.Iterator;

/** Transforms a whole partition at once ({@code mapPartitions}). */
@FunctionalInterface
public interface PartitionFunction<A, B> extends Serializable {
    Iterator<B> apply(Iterator<A> records) throws Exception;
}
