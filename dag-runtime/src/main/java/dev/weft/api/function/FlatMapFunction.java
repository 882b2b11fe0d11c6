package dev.weft.api.function;

import java.io.Serializable;
import java.util.Iterator;

/** Maps one record to zero or more records, produced lazily. */
@FunctionalInterface
public interface FlatMapFunction<A, B> extends Serializable {
    Iterator<B> apply(A value) throws Exception;
}
