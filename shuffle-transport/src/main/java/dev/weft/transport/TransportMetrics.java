package dev.weft.transport;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one block server. Thread-safe: updated from event loops and disk threads without locks; a
 * {@link #snapshot()} reads each counter once (counters are not mutually consistent while traffic flows).
 * No static state: the host creates one per server and publishes snapshots (e.g. through Hadoop metrics2).
 */
public final class TransportMetrics {
    private final AtomicInteger openConnections = new AtomicInteger();
    private final Map<String, AtomicInteger> connectionsByApp = new ConcurrentHashMap<>();
    private final LongAdder authSuccesses = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder blocksServed = new LongAdder();
    private final LongAdder bytesServed = new LongAdder();
    private final LongAdder fetchesServed = new LongAdder();
    private final LongAdder fetchLatencyNanos = new LongAdder();
    private final LongAdder busyRejections = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder authTimeouts = new LongAdder();
    private final LongAdder stalledConnections = new LongAdder();
    private final AtomicInteger openFiles = new AtomicInteger();
    private final Map<ErrorCode, LongAdder> errorResponses = new EnumMap<>(ErrorCode.class);

    public TransportMetrics() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.wire()) {
                errorResponses.put(code, new LongAdder());
            }
        }
    }

    /** Immutable point-in-time values. */
    public record Snapshot(
            int openConnections,
            int activeApps,
            long authSuccesses,
            long authFailures,
            long fetchesServed,
            long blocksServed,
            long bytesServed,
            long fetchLatencyNanosSum,
            long busyRejections,
            long protocolErrors,
            long connectionsRefused,
            long authTimeouts,
            long stalledConnections,
            int openFiles,
            Map<ErrorCode, Long> errorResponses) {
        public Snapshot {
            errorResponses = Map.copyOf(errorResponses);
        }

        /** Error responses sent with this code. */
        public long errors(ErrorCode code) {
            return errorResponses.getOrDefault(code, 0L);
        }

        /** Mean time from a fetch request's arrival to its last byte written, or 0 without fetches. */
        public double meanFetchLatencyMillis() {
            return fetchesServed == 0 ? 0 : fetchLatencyNanosSum / 1e6 / fetchesServed;
        }
    }

    public Snapshot snapshot() {
        Map<ErrorCode, Long> errors = new EnumMap<>(ErrorCode.class);
        errorResponses.forEach((code, count) -> errors.put(code, count.sum()));
        return new Snapshot(
                openConnections.get(),
                connectionsByApp.size(),
                authSuccesses.sum(),
                authFailures.sum(),
                fetchesServed.sum(),
                blocksServed.sum(),
                bytesServed.sum(),
                fetchLatencyNanos.sum(),
                busyRejections.sum(),
                protocolErrors.sum(),
                connectionsRefused.sum(),
                authTimeouts.sum(),
                stalledConnections.sum(),
                openFiles.get(),
                errors);
    }

    /** A connection closed at once: too many connections had not authenticated yet. */
    public void connectionRefused() {
        connectionsRefused.increment();
    }

    /** A connection closed because it did not authenticate in time. */
    public void authTimedOut() {
        authTimeouts.increment();
    }

    /** A connection closed because its peer stopped taking the blocks sent to it. */
    public void connectionStalled() {
        stalledConnections.increment();
    }

    /** A data file was opened ({@code +1}) or closed ({@code -1}) for sending. */
    public void openFiles(int delta) {
        openFiles.addAndGet(delta);
    }

    public void connectionOpened() {
        openConnections.incrementAndGet();
    }

    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    /** A connection authenticated for {@code appId}; pair with {@link #appConnectionClosed}. */
    public void authSucceeded(String appId) {
        authSuccesses.increment();
        connectionsByApp.computeIfAbsent(appId, k -> new AtomicInteger()).incrementAndGet();
    }

    public void appConnectionClosed(String appId) {
        connectionsByApp.computeIfPresent(appId, (k, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    public void authFailed() {
        authFailures.increment();
    }

    public void blockServed(long bytes) {
        blocksServed.increment();
        bytesServed.add(bytes);
    }

    public void fetchServed(long latencyNanos) {
        fetchesServed.increment();
        fetchLatencyNanos.add(latencyNanos);
    }

    public void busyRejected() {
        busyRejections.increment();
    }

    public void protocolError() {
        protocolErrors.increment();
    }

    /** An error response with a wire code was sent. */
    public void errorSent(ErrorCode code) {
        LongAdder counter = errorResponses.get(code);
        if (counter == null) {
            throw new IllegalArgumentException("not a wire error code: " + code);
        }
        counter.increment();
    }
}
