package dev.weft.yarn;

import java.util.concurrent.TimeUnit;

/** A clock that only moves when a test moves it. */
final class TestingTicker implements Ticker {
    private long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    void advance(long amount, TimeUnit unit) {
        nanos += unit.toNanos(amount);
    }
}
