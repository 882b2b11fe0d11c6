package dev.weft.yarn;

import dev.weft.ui.EventLogWriter;
import dev.weft.ui.StatusStore;
import java.util.Objects;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * The driver's own ApplicationMaster state, set once by {@link DriverMain} before the user's program runs,
 * so the YARN backend created by the program's context can find the RM client, the application id and the
 * staging information. The RM heartbeat is owned by exactly one thread at a time: the driver's heartbeat
 * thread, unless the backend takes it over (executors in the driver's own application).
 *
 * <p>Thread-safe.
 */
final class AmRuntime {
    private static volatile AmRuntime current;

    final YarnConfiguration conf;
    final ApplicationId appId;
    /** This driver's attempt number (1 first) and the attempts its application may have. */
    final int attempt;

    final int maxAttempts;
    final String host;
    final AMRMClient<ContainerRequest> amrm;
    final NMClient nm;
    final StagingInfo staging;
    /** What the driver's web UI shows; also the progress reported to the ResourceManager. */
    final StatusStore ui;
    /** The web UI's port on {@link #host}. */
    final int uiPort;
    /** The event log, or null when the job did not ask for one. */
    final EventLogWriter eventLog;

    final StartupTimeline timeline;
    private volatile float progress;
    private volatile boolean heartbeatTakenOver;

    AmRuntime(
            YarnConfiguration conf,
            ApplicationId appId,
            int attempt,
            int maxAttempts,
            String host,
            AMRMClient<ContainerRequest> amrm,
            NMClient nm,
            StagingInfo staging,
            StatusStore ui,
            int uiPort,
            EventLogWriter eventLog,
            StartupTimeline timeline) {
        this.conf = conf;
        this.appId = appId;
        this.attempt = attempt;
        this.maxAttempts = maxAttempts;
        this.host = host;
        this.amrm = amrm;
        this.nm = nm;
        this.staging = staging;
        this.ui = Objects.requireNonNull(ui, "ui is null");
        this.uiPort = uiPort;
        this.eventLog = eventLog;
        this.timeline = Objects.requireNonNull(timeline, "timeline is null");
    }

    /** Tells the UI (and the event log) where the logs of {@code executorId}'s container are. */
    void executorLogs(String executorId, String logUrl) {
        ui.executorLogs(executorId, logUrl);
        if (eventLog != null) {
            eventLog.executorLogs(executorId, logUrl, System.currentTimeMillis());
        }
    }

    static void install(AmRuntime rt) {
        current = Objects.requireNonNull(rt, "rt is null");
    }

    /** The driver's runtime; fails outside a Weft ApplicationMaster. */
    static AmRuntime get() {
        AmRuntime rt = current;
        if (rt == null) {
            throw new IllegalStateException("the yarn backend runs only inside a Weft driver (ApplicationMaster);"
                    + " on an edge node use 'yarn jar' and WeftContext.create(args)");
        }
        return rt;
    }

    static AmRuntime getIfPresent() {
        return current;
    }

    void setProgress(float p) {
        progress = Math.max(0f, Math.min(1f, p));
    }

    float progress() {
        return progress;
    }

    /** The backend heartbeats the driver's own application from now on (its allocate calls carry progress). */
    void takeOverHeartbeat() {
        heartbeatTakenOver = true;
    }

    boolean heartbeatTakenOver() {
        return heartbeatTakenOver;
    }

    synchronized AllocateResponse heartbeat() throws Exception {
        return amrm.allocate(progress);
    }
}
