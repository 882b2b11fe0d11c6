package dev.weft.yarn;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.conf.HadoopConfigurations;
import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import dev.weft.scheduler.ClientLauncher;
import dev.weft.ui.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.apache.hadoop.yarn.api.records.NodeLabel;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.QueueInfo;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.ResourceRequest;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.client.api.YarnClientApplication;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * The edge-node side of {@code yarn jar}: checks the request against the cluster, stages the jars,
 * submits the driver to the driver queue, prints the application id, tracking URL and progress, and
 * returns 0 when the application succeeded, 1 otherwise (printing the driver's diagnostics). Ctrl-C kills
 * the application.
 */
public final class WeftYarnClient implements ClientLauncher {
    /**
     * How often the client asks the ResourceManager for the report: a job of a few seconds should not wait half a
     * second more to be seen ended; a report is one cheap RPC.
     */
    private static final long POLL_MS = 200;
    /** The executor application appears once the driver's first job needs containers; asking once a second is plenty. */
    private static final long EXECUTOR_APP_POLL_NS = 1_000_000_000L;
    /** How often the client reads the driver's stage progress (through the RM's proxy). */
    private static final long PROGRESS_POLL_NS = 1_000_000_000L;

    private final PrintStream out;

    @SuppressForbidden(
            "the yarn jar client prints the application id, tracking URL and progress to the user's terminal")
    public WeftYarnClient() {
        this(System.out);
    }

    WeftYarnClient(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "yarn";
    }

    @Override
    public int submitAndWait(Class<?> mainClass, String[] args, WeftConf conf, Configuration hadoopConf) {
        org.apache.hadoop.security.UserGroupInformation submitter;
        try {
            submitter = SubmitSecurity.submitter(conf);
        } catch (IOException | IllegalArgumentException e) {
            out.println("weft: cannot submit the application: " + e.getMessage());
            return 2;
        }
        return submitter.doAs(
                (java.security.PrivilegedAction<Integer>) () -> submitAndWaitAs(mainClass, args, conf, hadoopConf));
    }

    /** {@link #submitAndWait} as the submitting user: every client of the cluster is created here. */
    private int submitAndWaitAs(Class<?> mainClass, String[] args, WeftConf conf, Configuration hadoopConf) {
        YarnConfiguration yc = new YarnConfiguration(hadoopConf);
        YarnClient yarn = YarnClient.createYarnClient();
        yarn.init(yc);
        yarn.start();
        try {
            ApplicationId appId = submit(yarn, mainClass, args, conf, yc);
            Thread killer = new Thread(() -> killQuietly(yarn, appId), "weft-client-kill");
            Runtime.getRuntime().addShutdownHook(killer);
            try {
                return await(yarn, appId, conf.get(YarnConfigKeys.CLIENT_FOLLOW));
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(killer);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already exiting: the hook runs
                }
            }
        } catch (SubmissionException e) {
            out.println("weft: " + e.getMessage());
            return 2;
        } catch (IOException | YarnException e) {
            out.println("weft: cannot submit the application: " + e);
            return 2;
        } finally {
            yarn.stop();
        }
    }

    /** Submits the driver; visible for tests. */
    ApplicationId submit(YarnClient yarn, Class<?> mainClass, String[] args, WeftConf conf, YarnConfiguration yc)
            throws IOException, YarnException {
        String driverQueue = YarnConfigKeys.driverQueue(conf);
        String executorQueue = YarnConfigKeys.executorQueue(conf);
        checkQueue(yarn, driverQueue, YarnConfigKeys.DRIVER_QUEUE.name());
        QueueInfo executorQueueInfo = checkQueue(yarn, executorQueue, YarnConfigKeys.EXECUTOR_QUEUE.name());
        SubmitSecurity.checkExecutorQueue(driverQueue, executorQueue);
        if (!driverQueue.equals(executorQueue)) {
            PreemptionCheck.warning(executorQueue, executorQueueInfo.getPreemptionDisabled())
                    .ifPresent(w -> out.println("weft: WARNING: " + w));
        }
        ContainerOptions driverOptions = ContainerOptions.driver(conf);
        ContainerOptions executorOptions = ContainerOptions.executor(conf);
        checkNodeLabels(yarn, driverOptions, executorOptions);
        YarnClientApplication app = yarn.createApplication();
        Resource max = app.getNewApplicationResponse().getMaximumResourceCapability();
        Resource driver = Resource.newInstance(driverOptions.containerMiB(), conf.get(YarnConfigKeys.DRIVER_CORES));
        Resource executor =
                Resource.newInstance(executorOptions.containerMiB(), conf.get(YarnConfigKeys.EXECUTOR_CORES));
        checkFits("driver", driver, max, YarnConfigKeys.DRIVER_MEMORY.name(), YarnConfigKeys.DRIVER_CORES.name());
        checkFits(
                "executor", executor, max, YarnConfigKeys.EXECUTOR_MEMORY.name(), YarnConfigKeys.EXECUTOR_CORES.name());

        ApplicationSubmissionContext asc = app.getApplicationSubmissionContext();
        ApplicationId appId = asc.getApplicationId();
        org.apache.hadoop.fs.Path stagingRoot = Staging.root(yc, conf.get(YarnConfigKeys.STAGING_DIR));
        FileSystem stagingFs = stagingRoot.getFileSystem(yc);
        LeftoverStaging.clean(
                stagingFs,
                stagingRoot,
                id -> yarn.getApplicationReport(id).getYarnApplicationState(),
                appId,
                System.currentTimeMillis());
        StagingInfo staging = Staging.stage(yc, stagingRoot, appId.toString(), stagedClasses(mainClass));
        // The job's effective configuration (cluster files, -conf, -D) for the driver, every executor and task.
        org.apache.hadoop.fs.Path jobConf = Staging.writeJobConfiguration(yc, yc, staging.appDir());
        try {
            staging = staging.with(Map.of(
                            ContainerSpecs.JOB_CONF_LINK,
                            new StagedResource(
                                    jobConf.toString(), LocalResourceType.FILE, LocalResourceVisibility.APPLICATION)))
                    .with(GenericResources.stage(yc, stagingRoot, appId.toString()));
        } catch (IllegalArgumentException e) {
            throw new SubmissionException(e.getMessage());
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        int attempts = conf.get(YarnConfigKeys.DRIVER_MAX_ATTEMPTS);
        // The user's variables first: Weft's own names are refused by the key's parser, and set after anyway.
        Map<String, String> env = new HashMap<>(driverOptions.environment());
        env.put("CLASSPATH", ContainerSpecs.classpath(yc));
        env.put("WEFT_ROLE", "driver");
        env.put(HadoopConfigurations.JOB_CONF_ENV, ContainerSpecs.JOB_CONF_LINK);
        env.put(StagingInfo.ENV_DIR, staging.appDir());
        env.put(StagingRetention.MAX_ATTEMPTS_ENV, Integer.toString(attempts));
        env.put(StagingInfo.ENV_RESOURCES, staging.encodeResources());
        List<String> driverArgs = new ArrayList<>();
        driverArgs.add(mainClass.getName());
        driverArgs.addAll(List.of(args));
        // Program arguments travel base64-encoded: the NodeManager runs the command through two shells, and
        // no quoting survives both for every possible argument ($, quotes, spaces).
        env.put(DriverMain.ARGS_ENV, DriverMain.encodeArgs(driverArgs));
        env.put(DriverMain.SUBMIT_TIME_ENV, Long.toString(System.currentTimeMillis()));
        Map<String, org.apache.hadoop.yarn.api.records.LocalResource> resources =
                ContainerSpecs.localResources(yc, staging.resources());
        java.nio.ByteBuffer tokens = dev.weft.yarn.security.JobCredentials.withSecret(
                SubmitSecurity.prepareDriver(
                        conf, yc, yarn, stagingFs, new org.apache.hadoop.fs.Path(staging.appDir()), resources, env),
                secret);
        ContainerLaunchContext clc = ContainerLaunchContext.newInstance(
                resources,
                env,
                ContainerSpecs.javaCommand(
                        driverOptions.heapMiB(),
                        List.of("-Dlog4j2.configurationFile=" + DriverMain.LOG_CONFIG),
                        driverOptions.javaOptions(),
                        DriverMain.class.getName(),
                        List.of()),
                null,
                tokens,
                null);
        String name = conf.asMap().getOrDefault(RuntimeConfigKeys.APP_NAME.name(), mainClass.getSimpleName());
        asc.setApplicationName(name);
        asc.setQueue(driverQueue);
        asc.setApplicationType("WEFT");
        Set<String> tags = new LinkedHashSet<>(List.of("weft"));
        tags.addAll(conf.get(YarnConfigKeys.TAGS));
        asc.setApplicationTags(tags);
        asc.setMaxAppAttempts(attempts);
        asc.setResource(driver);
        asc.setPriority(Priority.newInstance(conf.get(YarnConfigKeys.PRIORITY)));
        if (driverOptions.nodeLabel() != null) {
            ResourceRequest am = ResourceRequest.newInstance(
                    Priority.newInstance(0), ResourceRequest.ANY, driver, 1, true, driverOptions.nodeLabel());
            asc.setAMContainerResourceRequests(List.of(am));
        }
        asc.setAMContainerSpec(clc);
        yarn.submitApplication(asc);
        out.println("weft: submitted application " + appId + " to queue " + driverQueue + " (executors in "
                + executorQueue + ")");
        return appId;
    }

    /**
     * Refuses a node label expression the cluster has no label for: a request for it would wait forever (YARN keeps
     * unsatisfiable requests pending).
     */
    private static void checkNodeLabels(YarnClient yarn, ContainerOptions... options)
            throws IOException, YarnException {
        Set<String> known = null;
        for (ContainerOptions o : options) {
            if (o.nodeLabel() == null) {
                continue;
            }
            if (known == null) {
                known = new java.util.TreeSet<>();
                for (NodeLabel l : yarn.getClusterNodeLabels()) {
                    known.add(l.getName());
                }
            }
            String key = o.role().equals("driver")
                    ? YarnConfigKeys.DRIVER_NODE_LABEL.name()
                    : YarnConfigKeys.EXECUTOR_NODE_LABEL.name();
            if (!known.contains(o.nodeLabel().trim())) {
                throw new SubmissionException("node label '" + o.nodeLabel() + "' (" + key + ") does not exist in the"
                        + " cluster, so no " + o.role() + " container could ever start; the cluster's labels: "
                        + (known.isEmpty() ? "none" : known) + " (yarn cluster --list-node-labels)");
            }
        }
    }

    /** The program's jar and Weft's jars (engine, YARN runtime, executor and what they bring that Hadoop does not). */
    private static Class<?>[] stagedClasses(Class<?> mainClass) {
        List<Class<?>> classes =
                new ArrayList<>(List.of(mainClass, dev.weft.api.WeftContext.class, WeftYarnClient.class));
        for (String name : List.of(
                "dev.weft.executor.ExecutorMain",
                "io.netty.channel.Channel",
                "io.netty.buffer.ByteBuf",
                "io.netty.util.Recycler",
                "io.netty.handler.codec.ByteToMessageDecoder",
                "io.netty.resolver.AddressResolver",
                "io.netty.channel.epoll.Epoll",
                "io.netty.channel.unix.Socket",
                "com.google.protobuf.Message",
                "org.roaringbitmap.RoaringBitmap",
                "org.apache.logging.log4j.LogManager",
                "org.apache.logging.log4j.core.LoggerContext",
                "org.apache.logging.slf4j.Log4jLogger",
                "org.apache.log4j.Logger")) {
            try {
                classes.add(Class.forName(name, false, WeftYarnClient.class.getClassLoader()));
            } catch (ClassNotFoundException e) {
                // optional on this classpath
            }
        }
        return classes.toArray(new Class<?>[0]);
    }

    private static QueueInfo checkQueue(YarnClient yarn, String queue, String key) throws IOException, YarnException {
        QueueInfo info;
        try {
            info = yarn.getQueueInfo(queue);
        } catch (YarnException e) {
            info = null;
        }
        if (info == null) {
            throw new SubmissionException("queue '" + queue + "' (" + key + ") does not exist in the ResourceManager;"
                    + " install the capacity-scheduler layout or set " + key);
        }
        return info;
    }

    private static void checkFits(String what, Resource want, Resource max, String memKey, String coresKey) {
        if (want.getMemorySize() > max.getMemorySize()) {
            throw new SubmissionException("the " + what + " container needs " + want.getMemorySize() + " MiB (" + memKey
                    + " plus overhead), above the cluster's maximum allocation of " + max.getMemorySize()
                    + " MiB (yarn.scheduler.maximum-allocation-mb)");
        }
        if (want.getVirtualCores() > max.getVirtualCores()) {
            throw new SubmissionException("the " + what + " container needs " + want.getVirtualCores() + " vcores ("
                    + coresKey + "), above the cluster's maximum allocation of " + max.getVirtualCores()
                    + " (yarn.scheduler.maximum-allocation-vcores)");
        }
    }

    private int await(YarnClient yarn, ApplicationId appId, boolean follow) throws IOException, YarnException {
        StageProgressPrinter progress = StageProgressPrinter.forConsole(out);
        DriverLogFollower driverLog =
                follow ? new DriverLogFollower(StageProgressPrinter::httpGet, progress::println) : null;
        String lastLine = "";
        String lastWaiting = "";
        String tracking = null;
        ApplicationId executorApp = null;
        long executorsLookedAt = 0;
        long progressPolledAt = 0;
        while (true) {
            ApplicationReport r = yarn.getApplicationReport(appId);
            YarnApplicationState st = r.getYarnApplicationState();
            if (executorApp == null
                    && st == YarnApplicationState.RUNNING
                    && System.nanoTime() - executorsLookedAt > EXECUTOR_APP_POLL_NS) {
                executorsLookedAt = System.nanoTime();
                executorApp = executorApplication(yarn, appId);
                if (executorApp != null) {
                    progress.println("weft: executors run in application " + executorApp);
                }
            }
            if (tracking == null
                    && r.getTrackingUrl() != null
                    && !r.getTrackingUrl().isBlank()
                    && st == YarnApplicationState.RUNNING) {
                tracking = r.getTrackingUrl().endsWith("/") ? r.getTrackingUrl() : r.getTrackingUrl() + "/";
                progress.println("weft: tracking URL " + tracking);
            }
            if (st == YarnApplicationState.ACCEPTED
                    && r.getDiagnostics() != null
                    && !r.getDiagnostics().isBlank()
                    && !r.getDiagnostics().equals(lastWaiting)) {
                // Why the driver is not running yet, in the scheduler's words: a full queue, the AM resource limit.
                lastWaiting = r.getDiagnostics();
                progress.println("weft: waiting: " + lastWaiting.strip());
            }
            String line = "weft: " + appId + " " + st + " " + Math.round(r.getProgress() * 100) + "%";
            if (!line.equals(lastLine)) {
                progress.println(line);
                lastLine = line;
            }
            if (tracking != null
                    && st == YarnApplicationState.RUNNING
                    && System.nanoTime() - progressPolledAt > PROGRESS_POLL_NS) {
                progressPolledAt = System.nanoTime();
                if (driverLog != null) {
                    driverLog.poll(tracking);
                }
                progress.poll(tracking);
            }
            if (EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED)
                    .contains(st)) {
                return ended(yarn, appId, r, executorApp, progress);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    /** The end of the application: its final state, summary, links and log commands; returns the exit code. */
    private int ended(
            YarnClient yarn,
            ApplicationId appId,
            ApplicationReport r,
            ApplicationId executorApp,
            StageProgressPrinter progress)
            throws IOException, YarnException {
        FinalApplicationStatus fin = r.getFinalApplicationStatus();
        progress.println("weft: " + appId + " ended " + r.getYarnApplicationState() + "/" + fin);
        if (executorApp == null) {
            executorApp = executorApplication(yarn, appId);
        }
        diagnosticLine(r.getDiagnostics(), RunSummary.PREFIX)
                .ifPresent(l -> out.println("weft: summary: " + l.substring(RunSummary.PREFIX.length())));
        if (r.getTrackingUrl() != null && !r.getTrackingUrl().isBlank()) {
            out.println("weft: tracking URL " + r.getTrackingUrl());
        }
        String original = r.getOriginalTrackingUrl();
        if (original != null && original.contains("/history/")) {
            out.println("weft: history " + original);
        }
        out.println("weft: logs: yarn logs -applicationId " + appId + " (driver)"
                + (executorApp == null ? "" : "; yarn logs -applicationId " + executorApp + " (executors)"));
        if (fin != FinalApplicationStatus.SUCCEEDED) {
            out.println("weft: diagnostics: " + r.getDiagnostics());
            return 1;
        }
        startupLine(r.getDiagnostics()).ifPresent(l -> out.println("weft: " + l));
        return 0;
    }

    /** The executor application the driver started (tagged with the driver's id), or null while there is none. */
    private static ApplicationId executorApplication(YarnClient yarn, ApplicationId driver)
            throws IOException, YarnException {
        String tag = UnmanagedExecutorApplication.DRIVER_TAG_PREFIX
                + driver.toString().toLowerCase(Locale.ROOT);
        for (ApplicationReport r : yarn.getApplications(null, null, Set.of(tag))) {
            return r.getApplicationId();
        }
        return null;
    }

    /** The driver's start-up line among a succeeded application's diagnostics (see {@link StartupTimeline}). */
    static java.util.Optional<String> startupLine(String diagnostics) {
        return diagnosticLine(diagnostics, StartupTimeline.PREFIX);
    }

    /** The first line of {@code diagnostics} that starts with {@code prefix}. */
    static java.util.Optional<String> diagnosticLine(String diagnostics, String prefix) {
        if (diagnostics == null) {
            return java.util.Optional.empty();
        }
        return diagnostics.lines().filter(l -> l.startsWith(prefix)).findFirst();
    }

    private static void killQuietly(YarnClient yarn, ApplicationId appId) {
        try {
            ApplicationReport r = yarn.getApplicationReport(appId);
            if (!EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED)
                    .contains(r.getYarnApplicationState())) {
                yarn.killApplication(appId, "client interrupted");
            }
        } catch (Exception e) {
            // best effort: the JVM is exiting
        }
    }

    /** A submission refused before anything reached the cluster; the message names the setting to change. */
    static final class SubmissionException extends RuntimeException {
        SubmissionException(String message) {
            super(message);
        }
    }
}
