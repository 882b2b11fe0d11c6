package dev.weft.transport;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs at most one WARN line per interval and counts the lines it left out, which the next logged line reports.
 * For events an unauthenticated peer can cause at will (refused connections), so that a flood of them cannot fill
 * the NodeManager's (or the driver's) log. Lines are cut to {@value #MAX_CHARS} characters: they may quote what the peer sent.
 * Thread-safe.
 */
public final class RateLimitedLog {
    public static final int MAX_CHARS = 300;

    private final Logger log;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private long nextNanos;
    private long suppressed;
    private boolean first = true;

    public RateLimitedLog(Logger log, long intervalMs) {
        this(log, intervalMs, System::nanoTime);
    }

    RateLimitedLog(Logger log, long intervalMs, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = intervalMs * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** @return the text logged (cut, with the count of lines left out), or null when this line was left out */
    public String log(Supplier<String> line) {
        long now = nanoClock.getAsLong();
        long left;
        synchronized (this) {
            if (!first && now - nextNanos < 0) {
                suppressed++;
                return null;
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
            text = text + " (" + left + " more like it not logged)";
        }
        log.warn("{}", text);
        return text;
    }
}
