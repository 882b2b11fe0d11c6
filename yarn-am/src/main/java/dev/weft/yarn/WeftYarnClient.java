package dev.weft.yarn;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import dev.weft.scheduler.ClientLauncher;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.QueueInfo;
import org.apache.hadoop.yarn.api.records.Resource;
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
    /** A failed driver is not retried yet: a retry would re-run every stage (the journal comes later). */
    static final int DRIVER_ATTEMPTS = 1;
    /**
     * How often the client asks the ResourceManager for the report: a job of a few seconds should not wait half a
     * second more to be seen ended; a report is one cheap RPC.
     */
    private static final long POLL_MS = 200;

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
                return await(yarn, appId);
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
        String driverQueue = conf.get(YarnConfigKeys.DRIVER_QUEUE);
        String executorQueue = conf.get(YarnConfigKeys.EXECUTOR_QUEUE);
        checkQueue(yarn, driverQueue, YarnConfigKeys.DRIVER_QUEUE.name());
        QueueInfo executorQueueInfo = checkQueue(yarn, executorQueue, YarnConfigKeys.EXECUTOR_QUEUE.name());
        SubmitSecurity.checkExecutorQueue(driverQueue, executorQueue);
        if (!driverQueue.equals(executorQueue)) {
            PreemptionCheck.warning(executorQueue, executorQueueInfo.getPreemptionDisabled())
                    .ifPresent(w -> out.println("weft: WARNING: " + w));
        }
        YarnClientApplication app = yarn.createApplication();
        Resource max = app.getNewApplicationResponse().getMaximumResourceCapability();
        Resource driver = Resource.newInstance(
                ContainerSpecs.containerMiB(conf.get(YarnConfigKeys.DRIVER_MEMORY)),
                conf.get(YarnConfigKeys.DRIVER_CORES));
        Resource executor = Resource.newInstance(
                ContainerSpecs.containerMiB(conf.get(YarnConfigKeys.EXECUTOR_MEMORY)),
                conf.get(YarnConfigKeys.EXECUTOR_CORES));
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
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, String> env = new HashMap<>();
        env.put("CLASSPATH", ContainerSpecs.classpath(yc));
        env.put("WEFT_ROLE", "driver");
        env.put(YarnBackend.SECRET_ENV, Base64.getEncoder().encodeToString(secret));
        env.put(StagingInfo.ENV_DIR, staging.appDir());
        env.put(StagingRetention.MAX_ATTEMPTS_ENV, Integer.toString(DRIVER_ATTEMPTS));
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
        java.nio.ByteBuffer tokens = SubmitSecurity.prepareDriver(
                conf, yc, yarn, stagingFs, new org.apache.hadoop.fs.Path(staging.appDir()), resources, env);
        ContainerLaunchContext clc = ContainerLaunchContext.newInstance(
                resources,
                env,
                ContainerSpecs.javaCommand(
                        conf.get(YarnConfigKeys.DRIVER_MEMORY) >> 20,
                        List.of("-Dlog4j2.configurationFile=" + DriverMain.LOG_CONFIG),
                        DriverMain.class.getName(),
                        List.of()),
                null,
                tokens,
                null);
        String name = conf.asMap().getOrDefault(RuntimeConfigKeys.APP_NAME.name(), mainClass.getSimpleName());
        asc.setApplicationName(name);
        asc.setQueue(driverQueue);
        asc.setApplicationType("WEFT");
        asc.setApplicationTags(Set.of("weft"));
        asc.setMaxAppAttempts(DRIVER_ATTEMPTS);
        asc.setResource(driver);
        asc.setPriority(Priority.newInstance(0));
        asc.setAMContainerSpec(clc);
        yarn.submitApplication(asc);
        out.println("weft: submitted application " + appId + " to queue " + driverQueue + " (executors in "
                + executorQueue + ")");
        return appId;
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

    private int await(YarnClient yarn, ApplicationId appId) throws IOException, YarnException {
        String lastLine = "";
        String tracking = null;
        while (true) {
            ApplicationReport r = yarn.getApplicationReport(appId);
            if (tracking == null
                    && r.getTrackingUrl() != null
                    && !r.getTrackingUrl().isBlank()
                    && r.getYarnApplicationState() == YarnApplicationState.RUNNING) {
                tracking = r.getTrackingUrl();
                out.println("weft: tracking URL " + tracking);
            }
            YarnApplicationState st = r.getYarnApplicationState();
            String line = "weft: " + appId + " " + st + " " + Math.round(r.getProgress() * 100) + "%";
            if (!line.equals(lastLine)) {
                out.println(line);
                lastLine = line;
            }
            if (EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED)
                    .contains(st)) {
                FinalApplicationStatus fin = r.getFinalApplicationStatus();
                out.println("weft: " + appId + " ended " + st + "/" + fin);
                if (fin != FinalApplicationStatus.SUCCEEDED) {
                    out.println("weft: diagnostics: " + r.getDiagnostics());
                    return 1;
                }
                startupLine(r.getDiagnostics()).ifPresent(l -> out.println("weft: " + l));
                return 0;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    /** The driver's start-up line among a succeeded application's diagnostics (see {@link StartupTimeline}). */
    static java.util.Optional<String> startupLine(String diagnostics) {
        if (diagnostics == null) {
            return java.util.Optional.empty();
        }
        return diagnostics
                .lines()
                .filter(l -> l.startsWith(StartupTimeline.PREFIX))
                .findFirst();
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
