package dev.weft.shuffle.yarn;

import static java.util.Objects.requireNonNull;

import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportMetrics;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.hadoop.metrics2.MetricsCollector;
import org.apache.hadoop.metrics2.MetricsInfo;
import org.apache.hadoop.metrics2.MetricsRecordBuilder;
import org.apache.hadoop.metrics2.MetricsSource;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;
import org.apache.hadoop.metrics2.lib.Interns;

/**
 * Publishes the shuffle service's counters as a Hadoop metrics2 source named {@value #SOURCE_NAME}, so they appear in
 * the NodeManager's {@code /jmx} ({@code Hadoop:service=NodeManager,name=WeftShuffleService}) and in its metrics sinks.
 * Values are read on demand from the transport's {@link TransportMetrics} snapshot and the app registry; this class
 * keeps no counters of its own.
 *
 * <p>Thread-safe: the metrics system calls {@link #getMetrics} from its own threads; the suppliers are thread-safe.
 * Lifecycle: {@link #register} after the server starts, {@link #unregister} when the service stops (a reloaded
 * service registers again under the same name).
 */
public final class ShuffleServiceMetrics implements MetricsSource {
    public static final String SOURCE_NAME = "WeftShuffleService";
    private static final String CONTEXT = "weft";

    static final MetricsInfo HEALTHY = Interns.info("Healthy", "1 while the service serves, 0 after a start failure");
    static final MetricsInfo OPEN_CONNECTIONS = Interns.info("OpenConnections", "Open client connections");
    static final MetricsInfo REGISTERED_APPS = Interns.info("RegisteredApps", "Applications registered on this node");
    static final MetricsInfo ACTIVE_APPS = Interns.info("ActiveApps", "Applications with an authenticated connection");
    static final MetricsInfo AUTH_SUCCESSES = Interns.info("AuthSuccesses", "Authenticated connections");
    static final MetricsInfo AUTH_FAILURES =
            Interns.info("AuthFailures", "Connections refused for unknown app or bad credentials");
    static final MetricsInfo FETCHES_SERVED = Interns.info("FetchesServed", "Fetch requests completed");
    static final MetricsInfo BLOCKS_SERVED = Interns.info("BlocksServed", "Blocks sent");
    static final MetricsInfo BYTES_SERVED = Interns.info("BytesServed", "Block bytes sent");
    static final MetricsInfo FETCH_LATENCY_MS =
            Interns.info("FetchLatencyAvgMillis", "Mean time from request to last byte");
    static final MetricsInfo BUSY_REJECTIONS = Interns.info("BusyRejections", "Requests answered BUSY");
    static final MetricsInfo PROTOCOL_ERRORS =
            Interns.info("ProtocolErrors", "Connections closed for breaking the protocol");
    static final MetricsInfo CONNECTIONS_REFUSED =
            Interns.info("ConnectionsRefused", "Connections closed at once: too many had not authenticated yet");
    static final MetricsInfo AUTH_TIMEOUTS =
            Interns.info("AuthTimeouts", "Connections closed for not authenticating in time");
    static final MetricsInfo STALLED_CONNECTIONS =
            Interns.info("StalledConnections", "Connections closed because the peer stopped taking blocks");
    static final MetricsInfo OPEN_FILES = Interns.info("OpenFiles", "Map output data files held open for sending");
    static final MetricsInfo ERRORS = Interns.info("Errors", "Error responses sent, all codes");

    private final Supplier<TransportMetrics.Snapshot> transport;
    private final IntSupplier registeredApps;
    private final Supplier<Boolean> healthy;
    /** The name this source is registered under; null while it is not. */
    private String name;

    public ShuffleServiceMetrics(
            Supplier<TransportMetrics.Snapshot> transport, IntSupplier registeredApps, Supplier<Boolean> healthy) {
        this.transport = requireNonNull(transport, "transport is null");
        this.registeredApps = requireNonNull(registeredApps, "registeredApps is null");
        this.healthy = requireNonNull(healthy, "healthy is null");
    }

    /** The metric name of the error counter for {@code code}, e.g. {@code Errors_UNKNOWN_APP}. */
    static String errorMetricName(ErrorCode code) {
        return "Errors_" + code.name();
    }

    @Override
    public void getMetrics(MetricsCollector collector, boolean all) {
        TransportMetrics.Snapshot s = transport.get();
        MetricsRecordBuilder record = collector
                .addRecord(SOURCE_NAME)
                .setContext(CONTEXT)
                .addGauge(HEALTHY, healthy.get() ? 1 : 0)
                .addGauge(OPEN_CONNECTIONS, s.openConnections())
                .addGauge(REGISTERED_APPS, registeredApps.getAsInt())
                .addGauge(ACTIVE_APPS, s.activeApps())
                .addCounter(AUTH_SUCCESSES, s.authSuccesses())
                .addCounter(AUTH_FAILURES, s.authFailures())
                .addCounter(FETCHES_SERVED, s.fetchesServed())
                .addCounter(BLOCKS_SERVED, s.blocksServed())
                .addCounter(BYTES_SERVED, s.bytesServed())
                .addGauge(FETCH_LATENCY_MS, s.meanFetchLatencyMillis())
                .addCounter(BUSY_REJECTIONS, s.busyRejections())
                .addCounter(PROTOCOL_ERRORS, s.protocolErrors())
                .addCounter(CONNECTIONS_REFUSED, s.connectionsRefused())
                .addCounter(AUTH_TIMEOUTS, s.authTimeouts())
                .addCounter(STALLED_CONNECTIONS, s.stalledConnections())
                .addGauge(OPEN_FILES, s.openFiles());
        long total = 0;
        for (ErrorCode code : ErrorCode.values()) {
            if (code.wire()) {
                long count = s.errors(code);
                total += count;
                record.addCounter(
                        Interns.info(
                                errorMetricName(code),
                                "Error responses " + code.name().toLowerCase(Locale.ROOT)),
                        count);
            }
        }
        record.addCounter(ERRORS, total);
    }

    /**
     * Registers with {@link DefaultMetricsSystem}, replacing a stale source of the same name. In a JVM that runs
     * several NodeManagers (a mini cluster, {@link DefaultMetricsSystem#inMiniClusterMode()}) each service registers
     * as {@code WeftShuffleService-<port>} instead, so that one NodeManager's source does not replace another's.
     *
     * @param port the port the service listens on (0 or less when it does not)
     */
    public synchronized void register(int port) {
        name = DefaultMetricsSystem.inMiniClusterMode() && port > 0 ? SOURCE_NAME + "-" + port : SOURCE_NAME;
        DefaultMetricsSystem.instance().unregisterSource(name);
        DefaultMetricsSystem.instance().register(name, "Weft NodeManager shuffle service", this);
    }

    public synchronized void unregister() {
        if (name != null) {
            DefaultMetricsSystem.instance().unregisterSource(name);
            name = null;
        }
    }
}
