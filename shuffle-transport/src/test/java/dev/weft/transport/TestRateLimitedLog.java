package dev.weft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TestRateLimitedLog {
    private static final long MS = 1_000_000L;

    @Test
    void oneLinePerIntervalCountingThoseLeftOut() {
        AtomicLong now = new AtomicLong(5 * MS);
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(TestRateLimitedLog.class), 1_000, now::get);
        assertEquals("first", log.log(() -> "first"));
        now.addAndGet(999 * MS);
        assertNull(log.log(() -> "second"));
        assertNull(log.log(() -> "third"));
        now.addAndGet(MS);
        assertEquals("fourth (2 more like it not logged)", log.log(() -> "fourth"));
        now.addAndGet(1_000 * MS);
        assertEquals("fifth", log.log(() -> "fifth"), "the count starts again");
    }

    @Test
    void longLinesAreCut() {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(TestRateLimitedLog.class), 1_000, () -> 0);
        String logged = log.log(() -> "x".repeat(10_000));
        assertEquals(RateLimitedLog.MAX_CHARS + 3, logged.length());
    }
}
