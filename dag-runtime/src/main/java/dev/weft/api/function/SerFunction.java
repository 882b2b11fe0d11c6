package dev.weft.api.function;

import java.io.Serializable;
import java.util.function.Function;

/** A function that can be shipped to executors. */
@FunctionalInterface
public interface SerFunction<A, B> extends Function<A, B>, Serializable {}
