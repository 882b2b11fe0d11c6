package dev.weft.task;

import dev.weft.exec.TaskContext;
import java.io.Serializable;
import java.util.Iterator;

/** What an action computes from each partition on the executor (count, collect's bytes, …). */
@FunctionalInterface
public interface ResultFunction<T, R> extends Serializable {
    R apply(TaskContext ctx, Iterator<T> records) throws Exception;
}
