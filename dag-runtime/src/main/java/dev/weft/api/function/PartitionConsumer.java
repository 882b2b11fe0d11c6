package dev.weft.api.function;

import java.io.Serializable;
import java.util.Iterator;

/** Consumes a whole partition on an executor ({@code foreachPartition}). */
@FunctionalInterface
public interface PartitionConsumer<T> extends Serializable {
    void accept(Iterator<T> records) throws Exception;
}
