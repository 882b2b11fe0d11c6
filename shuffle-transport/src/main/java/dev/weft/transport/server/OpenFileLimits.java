package dev.weft.transport.server;

import dev.weft.transport.TransportMetrics;

/**
 * Caps the data files a server holds open: all applications together, and each one, so that one tenant's fetches
 * (or a client that stops reading) cannot use up the process's descriptors, which in the NodeManager are also its
 * own. A request holds one permit from opening its map output's data file until the last of its blocks is sent or
 * dropped. Thread-safe.
 */
final class OpenFileLimits {
    private final KeyedCounts counts;
    private final TransportMetrics metrics;

    OpenFileLimits(int maxTotal, int maxPerApp, TransportMetrics metrics) {
        this.counts = new KeyedCounts(maxTotal, maxPerApp);
        this.metrics = metrics;
    }

    /** Takes one permit for {@code appId}; null when it got one, else why not (for a BUSY reply). */
    String tryAcquire(String appId) {
        KeyedCounts.Refusal refusal = counts.tryAcquire(appId);
        if (refusal == null) {
            metrics.openFiles(1);
            return null;
        }
        return refusal == KeyedCounts.Refusal.TOTAL
                ? "open files: " + counts.total() + " of the server's " + counts.maxTotal()
                : "open files: " + counts.count(appId) + " of the application's " + counts.maxPerKey();
    }

    void release(String appId) {
        counts.release(appId);
        metrics.openFiles(-1);
    }
}
