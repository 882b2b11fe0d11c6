package dev.weft.api.function;

import java.io.Serializable;
import java.util.function.Consumer;

/** A side-effecting function run on executors ({@code foreach}). */
@FunctionalInterface
public interface SerConsumer<T> extends Consumer<T>, Serializable {}
