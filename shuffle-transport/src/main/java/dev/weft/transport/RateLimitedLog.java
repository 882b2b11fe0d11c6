package dev.weft.transport.server;

import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs at most one INFO line per interval and counts the lines it left out, which the next logged line reports.
 * For events an unauthenticated peer can cause at will (refused connections), so that a flood of them cannot fill
 * the NodeManager's log. Lines are cut to {@value #MAX_CHARS} characters: they may quote what the peer sent.
 * Thread-safe.
 */
final class RateLimitedLog {
    static final int MAX_CHARS = 300;

    private final Logger log;
    private final long intervalNanos;
    private long nextNanos;
    private long suppressed;
    private boolean first = true;

    RateLimitedLog(Logger log, long intervalMs) {
        this.log = log;
        this.intervalNanos = intervalMs * 1_000_000L;
    }

    void log(Supplier<String> line) {
        long now = System.nanoTime();
        long left;
        synchronized (this) {
            if (!first && now - nextNanos < 0) {
                suppressed++;
                return;
            }
            first = false;
            nextNanos = now + intervalNanos;
            left = suppressed;
            suppressed = 0;
        }
        String text = line.get();
        if (text.length() > MAX_CHARS) {
            text = text.substring(0, MAX_CHARS) + "...";
        }
        if (left > 0) {
            log.info("{} ({} more like it not logged)", text, left);
        } else {
            log.info("{}", text);
        }
    }
}
