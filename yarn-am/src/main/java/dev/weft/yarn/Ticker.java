package dev.weft.yarn;

/**
 * A monotonic nanosecond clock, so placement timeouts can be tested without waiting for them.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    long nanoTime();
}
