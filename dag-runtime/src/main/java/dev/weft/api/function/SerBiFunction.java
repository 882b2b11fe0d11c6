package dev.weft.api.function;

import java.io.Serializable;
import java.util.function.BiFunction;

/** A two-argument function that can be shipped to executors (reducers, combiners). */
@FunctionalInterface
public interface SerBiFunction<A, B, R> extends BiFunction<A, B, R>, Serializable {}
