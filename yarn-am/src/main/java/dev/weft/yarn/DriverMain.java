package dev.weft.yarn;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.conf.HadoopConfigurations;
import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.ui.DriverMetrics;
import dev.weft.ui.EventLogWriter;
import dev.weft.ui.Redaction;
import dev.weft.ui.RunSummary;
import dev.weft.ui.StatusStore;
import dev.weft.ui.UiConfigKeys;
import dev.weft.ui.WebUiServer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.AMRMClient;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.NMClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.webproxy.amfilter.AmFilterInitializer;
import org.apache.hadoop.yarn.webapp.util.WebAppUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ApplicationMaster's entry point: the driver. Registers with the ResourceManager, serves the
 * tracking page, heartbeats progress, runs the user's {@code main} (whose {@code WeftContext} then uses the
 * YARN backend), and unregisters with the final status and a diagnostic naming the failed stage, task and
 * cause. Removes the application's staging directory before unregistering (see {@link StagingRetention}).
 *
 * <p>Arguments: {@code <mainClass> [program arguments…]}, or the same list in {@value #ARGS_ENV}.
 */
public final class DriverMain {
    private static final Logger LOG = LoggerFactory.getLogger(DriverMain.class);
    private static final List<Runnable> SHUTDOWN_ACTIONS = new CopyOnWriteArrayList<>();
    private static volatile boolean unregistered;

    private DriverMain() {}

    /** Work to do if the driver is killed (SIGTERM from {@code yarn application -kill}): stop executors first. */
    static void onAbnormalShutdown(Runnable action) {
        SHUTDOWN_ACTIONS.add(action);
    }

    /** Environment variable with the client's submission time (epoch milliseconds), for the start-up timeline. */
    static final String SUBMIT_TIME_ENV = "WEFT_SUBMIT_TIME";

    static java.util.OptionalLong submittedAt(String env) {
        if (env == null) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(Long.parseLong(env.trim()));
        } catch (NumberFormatException e) {
            LOG.warn("ignoring {}={}: not a time in milliseconds", SUBMIT_TIME_ENV, env);
            return java.util.OptionalLong.empty();
        }
    }

    /** Environment variable with the main class and program arguments, see {@link #encodeArgs}. */
    static final String ARGS_ENV = "WEFT_DRIVER_ARGS";

    /** Base64 of the UTF-8 arguments joined with NUL, a byte no argument can contain. */
    static String encodeArgs(java.util.List<String> args) {
        return java.util.Base64.getEncoder()
                .encodeToString(String.join("\0", args).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String[] decodeArgs(String encoded) {
        String joined =
                new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
        return joined.split("\0", -1);
    }

    /**
     * The driver's logging configuration (a classpath resource; INFO to driver.log in the container's log dir),
     * passed on the command line because logging starts before main.
     */
    static final String LOG_CONFIG = "weft-driver-log4j2.xml";

    @SuppressForbidden("the driver launcher: usage goes to stderr and its exit code is the AM container's exit status")
    public static void main(String[] cmdArgs) {
        try {
            run(cmdArgs);
        } catch (Throwable t) {
            // Threads already started (the status page's) would keep a failed driver's JVM, and its application,
            // alive until the ResourceManager's liveness timeout: e.g. a node without a Kerberos configuration.
            LOG.error("driver failed to start or to end cleanly", t);
            System.exit(1);
        }
    }

    @SuppressForbidden("the driver launcher: usage goes to stderr and its exit code is the AM container's exit status")
    private static void run(String[] cmdArgs) throws Exception {
        String encoded = System.getenv(ARGS_ENV);
        String[] args = cmdArgs.length > 0 || encoded == null ? cmdArgs : decodeArgs(encoded);
        if (args.length < 1) {
            System.err.println("usage: DriverMain <mainClass> [args...] (or " + ARGS_ENV + " in the environment)");
            System.exit(2);
        }
        System.setProperty("weft.role", "driver");
        String mainClass = args[0];
        String[] programArgs = Arrays.copyOfRange(args, 1, args.length);
        YarnConfiguration conf = new YarnConfiguration(HadoopConfigurations.create());
        String containerId = System.getenv(Environment.CONTAINER_ID.name());
        ApplicationAttemptId attemptId = ContainerId.fromString(containerId).getApplicationAttemptId();
        ApplicationId appId = attemptId.getApplicationId();
        StagingRetention retention = new StagingRetention(
                attemptId.getAttemptId(),
                StagingRetention.maxAttemptsFromEnv(System.getenv(StagingRetention.MAX_ATTEMPTS_ENV)));
        String host = System.getenv(Environment.NM_HOST.name());
        StagingInfo staging = StagingInfo.fromEnv(System.getenv());
        StartupTimeline timeline = new StartupTimeline(System::currentTimeMillis);
        timeline.markAt(
                StartupTimeline.Phase.AM_JVM_STARTED,
                java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        submittedAt(System.getenv(SUBMIT_TIME_ENV)).ifPresent(t -> timeline.markAt(StartupTimeline.Phase.SUBMITTED, t));

        StatusStore ui = new StatusStore();
        String appName = conf.get(RuntimeConfigKeys.APP_NAME.name(), RuntimeConfigKeys.APP_NAME.defaultValue());
        String user = UserGroupInformation.getCurrentUser().getShortUserName();
        long started = System.currentTimeMillis();
        ui.applicationStarted(appId.toString(), appName, user, attemptId.getAttemptId(), started);
        Map<String, String> shownSettings = Redaction.shown(settings(conf));
        ui.environment(shownSettings);
        // The RM's web proxy is the only client AmIpFilter lets through; others are redirected to it.
        // The driver's own log, for clients that follow it (weft.client.follow): in the container's log directory.
        String logDir = System.getProperty("weft.log.dir");
        java.nio.file.Path driverLog = logDir == null ? null : java.nio.file.Path.of(logDir, "driver.log");
        WebUiServer web = WebUiServer.live(
                host, ui, driverLog, conf, server -> new AmFilterInitializer().initFilter(server, conf));
        DriverMetrics metrics = new DriverMetrics(ui);
        metrics.register();
        EventLogWriter eventLog = null;
        Throwable startFailure = null;
        String eventLogDir = conf.getTrimmed(UiConfigKeys.EVENT_LOG_DIR.name());
        if (eventLogDir != null && !eventLogDir.isEmpty()) {
            try {
                Path dir = new Path(eventLogDir);
                eventLog = EventLogWriter.start(
                        dir.getFileSystem(conf),
                        dir,
                        appId.toString(),
                        appName,
                        user,
                        attemptId.getAttemptId(),
                        started);
                eventLog.environment(shownSettings, started);
                LOG.info("event log: {}", eventLog.file());
            } catch (IOException | RuntimeException e) {
                startFailure = e;
            }
        }
        AMRMClient<ContainerRequest> amrm = AMRMClient.createAMRMClient();
        amrm.init(conf);
        amrm.start();
        String trackingUrl = "http://" + host + ":" + web.port() + "/";
        amrm.registerApplicationMaster(host, 0, trackingUrl);
        NMClient nm = NMClient.createNMClient();
        nm.init(conf);
        nm.start();
        AmRuntime rt = new AmRuntime(
                conf,
                appId,
                retention.attempt(),
                retention.maxAttempts(),
                host,
                amrm,
                nm,
                staging,
                ui,
                web.port(),
                eventLog,
                timeline);
        AmRuntime.install(rt);
        DriverCredentials.startIfConfigured(conf, System.getenv());
        LOG.info("driver {} registered; tracking URL {}", appId, trackingUrl);

        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (!unregistered) {
                                LOG.warn("driver {} is being killed; stopping its executors", appId);
                                SHUTDOWN_ACTIONS.forEach(a -> {
                                    try {
                                        a.run();
                                    } catch (RuntimeException e) {
                                        LOG.warn("shutdown action failed: {}", e.toString());
                                    }
                                });
                            }
                        },
                        "weft-driver-shutdown"));

        Thread heartbeat = new Thread(() -> heartbeatLoop(rt), "weft-am-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();

        FinalApplicationStatus status;
        String diagnostics;
        try {
            if (startFailure != null) {
                throw startFailure;
            }
            timeline.mark(StartupTimeline.Phase.MAIN_STARTED);
            runUserMain(mainClass, programArgs);
            timeline.mark(StartupTimeline.Phase.PROGRAM_DONE);
            status = FinalApplicationStatus.SUCCEEDED;
            // The RM keeps a succeeded application's diagnostics too: the client prints this line from there.
            diagnostics = StartupTimeline.PREFIX + timeline.summary();
        } catch (Throwable t) {
            status = FinalApplicationStatus.FAILED;
            diagnostics = describe(t);
            LOG.error("driver program {} failed", mainClass, t);
        }
        int code = status == FinalApplicationStatus.SUCCEEDED ? 0 : 1;
        // Before unregistering: whoever sees the final state must not find the staging directory.
        if (retention.removeBeforeUnregistering(status)) {
            deleteStaging(conf, staging);
        } else {
            LOG.info(
                    "driver attempt {} of {} failed; keeping {} for the next attempt",
                    retention.attempt(),
                    retention.maxAttempts(),
                    staging.appDir());
        }
        ui.applicationEnded(status.name(), System.currentTimeMillis());
        // The RM keeps diagnostics after the application ends: the client prints the summary from there.
        diagnostics = diagnostics + "\n" + RunSummary.line(ui, System.currentTimeMillis());
        String finalTrackingUrl = "";
        if (eventLog != null) {
            Path log = eventLog.finish(status.name(), System.currentTimeMillis());
            String history = conf.getTrimmed(UiConfigKeys.HISTORY_ADDRESS.name());
            if (history != null && !history.isEmpty()) {
                finalTrackingUrl = "http://" + history + "/history/" + appId + "/";
            }
            LOG.info("event log complete: {}", log);
        }
        try {
            amrm.unregisterApplicationMaster(status, diagnostics, finalTrackingUrl);
            unregistered = true;
        } catch (Exception e) {
            LOG.error("cannot unregister driver {}", appId, e);
        }
        try {
            web.close();
        } catch (Exception e) {
            LOG.warn("cannot stop the web UI: {}", e.toString());
        }
        LOG.info("driver {} finished: {}", appId, status);
        System.exit(code);
    }

    /**
     * The address of a page of this application's UI through the ResourceManager's web proxy, as the RM publishes the
     * driver's tracking URL: what the executor application's RM entry links to (an unmanaged application's own
     * tracking URL is shown unproxied).
     */
    static String proxiedUrl(YarnConfiguration conf, ApplicationId appId, String page) {
        return WebAppUtils.getHttpSchemePrefix(conf) + WebAppUtils.getProxyHostAndPort(conf) + "/proxy/" + appId + "/"
                + page;
    }

    /** A container's logs on its NodeManager's web page, as the RM links an AM container's logs. */
    static String containerLogsUrl(YarnConfiguration conf, String nodeHttpAddress, ContainerId container) {
        String user;
        try {
            user = UserGroupInformation.getCurrentUser().getShortUserName();
        } catch (IOException e) {
            user = System.getProperty("user.name");
        }
        return WebAppUtils.getHttpSchemePrefix(conf) + nodeHttpAddress + "/node/containerlogs/" + container + "/"
                + user;
    }

    /** The job's settings as the configuration holds them after variable expansion. */
    private static Map<String, String> settings(YarnConfiguration conf) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : conf) {
            out.put(e.getKey(), conf.get(e.getKey()));
        }
        return out;
    }

    private static void runUserMain(String mainClass, String[] args) throws Throwable {
        Class<?> c = Class.forName(mainClass, true, Thread.currentThread().getContextClassLoader());
        Method m = c.getMethod("main", String[].class);
        try {
            m.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The diagnostics line the RM shows: the job failure names stage, task and exception. */
    static String describe(Throwable t) {
        StringBuilder sb =
                new StringBuilder(t.getClass().getName()).append(": ").append(t.getMessage());
        Throwable c = t.getCause();
        if (c != null && c != t) {
            sb.append("\nCaused by: ")
                    .append(c.getClass().getName())
                    .append(": ")
                    .append(c.getMessage());
        }
        return sb.toString();
    }

    private static void heartbeatLoop(AmRuntime rt) {
        while (true) {
            try {
                Thread.sleep(1000);
                rt.setProgress(rt.ui.progress());
                if (!rt.heartbeatTakenOver()) {
                    rt.heartbeat();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warn("heartbeat to the ResourceManager failed: {}", e.toString());
            }
        }
    }

    private static void deleteStaging(YarnConfiguration conf, StagingInfo staging) {
        try {
            Path dir = new Path(staging.appDir());
            FileSystem fs = dir.getFileSystem(conf);
            fs.delete(dir, true);
        } catch (Exception e) {
            LOG.warn("cannot delete staging directory {}: {}", staging.appDir(), e.toString());
        }
    }
}
