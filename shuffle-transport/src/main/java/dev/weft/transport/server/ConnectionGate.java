package dev.weft.transport.server;

/**
 * Caps the connections of one server that have not authenticated yet, in all and per remote address, so that
 * connections that never authenticate (each costing a socket, a descriptor and a pipeline) cannot exhaust the
 * NodeManager. A connection holds its place from when it opens until it authenticates or closes. Thread-safe.
 */
final class ConnectionGate {
    private final KeyedCounts counts;

    ConnectionGate(int maxTotal, int maxPerAddress) {
        this.counts = new KeyedCounts(maxTotal, maxPerAddress);
    }

    /** Admits one unauthenticated connection from {@code address}; null when admitted, else why not. */
    String tryAdmit(String address) {
        KeyedCounts.Refusal refusal = counts.tryAcquire(address);
        if (refusal == null) {
            return null;
        }
        return refusal == KeyedCounts.Refusal.TOTAL
                ? counts.total() + " connections have not authenticated yet (limit " + counts.maxTotal() + ")"
                : counts.count(address) + " connections from " + address + " have not authenticated yet (limit "
                        + counts.maxPerKey() + ")";
    }

    /** The connection authenticated or closed: it no longer counts. */
    void leave(String address) {
        counts.release(address);
    }

    int unauthenticated() {
        return counts.total();
    }
}
