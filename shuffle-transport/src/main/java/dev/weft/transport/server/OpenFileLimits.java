package dev.weft.transport.server;

import dev.weft.transport.TransportMetrics;
import java.util.HashMap;
import java.util.Map;

/**
 * Caps the data files a server holds open: all applications together, and each one, so that one tenant's fetches
 * (or a client that stops reading) cannot use up the process's descriptors, which in the NodeManager are also its
 * own. A request holds one permit from opening its map output's data file until the last of its blocks is sent or
 * dropped. Thread-safe.
 */
final class OpenFileLimits {
    private final int maxTotal;
    private final int maxPerApp;
    private final Map<String, Integer> perApp = new HashMap<>();
    private final TransportMetrics metrics;
    private int total;

    OpenFileLimits(int maxTotal, int maxPerApp, TransportMetrics metrics) {
        this.metrics = metrics;
        if (maxTotal < 1 || maxPerApp < 1) {
            throw new IllegalArgumentException("limits must be >= 1: " + maxTotal + ", " + maxPerApp);
        }
        this.maxTotal = maxTotal;
        this.maxPerApp = maxPerApp;
    }

    /** Takes one permit for {@code appId}; null when it got one, else why not (for a BUSY reply). */
    synchronized String tryAcquire(String appId) {
        int app = perApp.getOrDefault(appId, 0);
        if (total >= maxTotal) {
            return "open files: " + total + " of the server's " + maxTotal;
        }
        if (app >= maxPerApp) {
            return "open files: " + app + " of the application's " + maxPerApp;
        }
        total++;
        perApp.put(appId, app + 1);
        metrics.openFiles(1);
        return null;
    }

    synchronized void release(String appId) {
        Integer app = perApp.get(appId);
        if (app == null || total == 0) {
            throw new IllegalStateException("released a permit " + appId + " did not hold");
        }
        total--;
        metrics.openFiles(-1);
        if (app == 1) {
            perApp.remove(appId);
        } else {
            perApp.put(appId, app - 1);
        }
    }

    synchronized int open() {
        return total;
    }

    synchronized int open(String appId) {
        return perApp.getOrDefault(appId, 0);
    }
}
