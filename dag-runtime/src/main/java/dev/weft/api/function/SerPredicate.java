package dev.weft.api.function;

import java.io.Serializable;
import java.util.function.Predicate;

/** A predicate that can be shipped to executors. */
@FunctionalInterface
public interface SerPredicate<T> extends Predicate<T>, Serializable {}
