package dev.weft.transport.server;

import java.util.HashMap;
import java.util.Map;

/**
 * Caps the connections of one server that have not authenticated yet, in all and per remote address, so that
 * connections that never authenticate (each costing a socket, a descriptor and a pipeline) cannot exhaust the
 * NodeManager. A connection holds its place from when it opens until it authenticates or closes. Thread-safe.
 */
final class ConnectionGate {
    private final int maxTotal;
    private final int maxPerAddress;
    private final Map<String, Integer> perAddress = new HashMap<>();
    private int total;

    ConnectionGate(int maxTotal, int maxPerAddress) {
        if (maxTotal < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("limits must be >= 1: " + maxTotal + ", " + maxPerAddress);
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Admits one unauthenticated connection from {@code address}; null when admitted, else why not. */
    synchronized String tryAdmit(String address) {
        int fromAddress = perAddress.getOrDefault(address, 0);
        if (total >= maxTotal) {
            return total + " connections have not authenticated yet (limit " + maxTotal + ")";
        }
        if (fromAddress >= maxPerAddress) {
            return fromAddress + " connections from " + address + " have not authenticated yet (limit " + maxPerAddress
                    + ")";
        }
        total++;
        perAddress.put(address, fromAddress + 1);
        return null;
    }

    /** The connection authenticated or closed: it no longer counts. */
    synchronized void leave(String address) {
        Integer fromAddress = perAddress.get(address);
        if (fromAddress == null || total == 0) {
            throw new IllegalStateException("no unauthenticated connection from " + address);
        }
        total--;
        if (fromAddress == 1) {
            perAddress.remove(address);
        } else {
            perAddress.put(address, fromAddress - 1);
        }
    }

    synchronized int unauthenticated() {
        return total;
    }
}
