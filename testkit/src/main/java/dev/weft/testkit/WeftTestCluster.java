package dev.weft.testkit;

import dev.weft.api.WeftContext;
import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.yarn.Jars;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.util.RunJar;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerReport;
import org.apache.hadoop.yarn.api.records.ContainerState;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.api.records.SignalContainerCommand;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.YarnException;
import org.apache.hadoop.yarn.server.api.protocolrecords.UnRegisterNodeManagerRequest;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;
import org.apache.hadoop.yarn.server.nodemanager.containermanager.container.Container;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running test cluster as a test sees it: an {@link EmbeddedCluster} plus a started {@link YarnClient} and a
 * {@link FileSystem} of its own, ways to submit programs as {@code yarn jar} does, and faults injected into the
 * cluster's real processes. {@link WeftClusterExtension} creates it, hands it to test methods, {@code @BeforeAll}
 * methods and constructors, and closes it (client, file system, cluster) when its class or, for a {@linkplain
 * WeftCluster#shared shared} cluster, the test run ends.
 *
 * <p>Faults on the cluster's real processes and files: {@link #killExecutorContainer} and {@link #killDriverContainer}
 * (SIGKILL through the ResourceManager), {@link #corruptShuffleOutput} and {@link #deleteShuffleOutput} (a map
 * output file in a NodeManager's local directory), {@link #stopNodeManager} and {@link #stopDataNode} (do not heal,
 * so a shared cluster refuses them). A fault strikes at a named point of the job when the job is submitted with
 * {@link FaultPoint}s: its driver pauses there and {@link SubmittedJob#at} injects the fault before letting it go on.
 *
 * <p>Thread-safe: submissions run concurrently, each client on a thread of its own.
 */
public final class WeftTestCluster {
    private static final Logger LOG = LoggerFactory.getLogger(WeftTestCluster.class);

    static final String DRIVER_TYPE = "WEFT";
    static final String EXECUTORS_TYPE = "WEFT-EXECUTORS";

    /**
     * What {@link #submit} passes before the program's own arguments: containers small enough for several jobs
     * on the cluster's 4 GiB NodeManagers, and uber mode off (so even a tiny test job runs in executor containers,
     * where the kit's faults strike). The program's arguments come after, so its own {@code -D} win.
     */
    public static final List<String> SMALL_CONTAINERS = List.of(
            "-D",
            "weft.driver.memory=384m",
            "-D",
            "weft.executor.memory=384m",
            "-D",
            "weft.executor.instances=2",
            "-D",
            "weft.executor.cores=2",
            // Test jobs are tiny, and uber mode would run them inside the driver: the faults and checks aimed at
            // executors need executor containers. A test of uber mode passes -D weft.yarn.uber.enabled=true.
            "-D",
            "weft.yarn.uber.enabled=false");

    private static final String APP_NAME_KEY = "weft.app.name";
    /** Where each submission's {@link EventRecorder} writes, one directory per submission. */
    private static final String EVENTS_ROOT = "/weft-testkit/jobs";

    private static final Duration NODE_GONE_WITHIN = Duration.ofSeconds(60);
    private static final Duration EXIT_SEEN_WITHIN = Duration.ofSeconds(120);

    private final EmbeddedCluster cluster;
    private final boolean shared;
    private final FileSystem fs;
    private final YarnClient yarn;
    /** DataNode transfer addresses in start order: {@link MiniDFSCluster#stopDataNode(int)} renumbers the rest. */
    private final List<String> dataNodes;

    /** Where {@link WeftCluster#logAggregation()} clusters aggregate applications' logs, on their HDFS. */
    public static final String LOG_AGGREGATION_DIR = "/app-logs";

    private final AtomicInteger submissions = new AtomicInteger();
    private final Map<ContainerId, CompletableFuture<Integer>> killed = new ConcurrentHashMap<>();

    private WeftTestCluster(EmbeddedCluster cluster, boolean shared, FileSystem fs, YarnClient yarn) {
        this.cluster = cluster;
        this.shared = shared;
        this.fs = fs;
        this.yarn = yarn;
        List<String> names = new ArrayList<>();
        for (DataNode dn : cluster.dfs().getDataNodes()) {
            names.add(dn.getDatanodeId().getXferAddr());
        }
        this.dataNodes = List.copyOf(names);
    }

    /**
     * Starts a cluster under {@code baseDir} (data, logs, generated configuration).
     *
     * @param name a name no other cluster running in this working directory has (see {@link EmbeddedCluster})
     */
    static WeftTestCluster start(Path baseDir, String name, ClusterSpec spec, boolean shared) throws IOException {
        Map<String, String> extra = new HashMap<>();
        if (spec.shuffleService()) {
            extra.putAll(ShuffleServiceJar.nodeManagerSettings(ShuffleServiceJar.locate()));
        }
        if (spec.shuffleIntegrity()) {
            extra.put("weft.shuffle.transport.integrity", "true");
        }
        if (spec.logAggregation()) {
            extra.put(org.apache.hadoop.yarn.conf.YarnConfiguration.LOG_AGGREGATION_ENABLED, "true");
            extra.put(org.apache.hadoop.yarn.conf.YarnConfiguration.NM_REMOTE_APP_LOG_DIR, LOG_AGGREGATION_DIR);
        }
        if (spec.memoryLimits()) {
            // MiniYARNCluster turns its NodeManagers' container monitor off unless told the test controls it.
            extra.put("yarn.minicluster.control-resource-monitoring", "true");
            extra.put(org.apache.hadoop.yarn.conf.YarnConfiguration.NM_PMEM_CHECK_ENABLED, "true");
            // The monitor leaves the kill to cgroups' OOM killer when memory is "strictly enforced" (the default),
            // which these NodeManagers do not run: the monitor's own check must kill.
            extra.put(org.apache.hadoop.yarn.conf.YarnConfiguration.NM_MEMORY_RESOURCE_ENFORCED, "false");
            // Sooner than the 3 s default: a test waiting for the kill waits less.
            extra.put(org.apache.hadoop.yarn.conf.YarnConfiguration.NM_CONTAINER_MON_INTERVAL_MS, "500");
        }
        EmbeddedCluster cluster = spec.distinctHosts()
                ? EmbeddedCluster.startMultiHost(baseDir, name, spec.nodeManagers(), extra)
                : EmbeddedCluster.start(
                        baseDir, name, spec.nodeManagers(), spec.dataNodes(), extra, spec.dataNodeHostName());
        FileSystem fs = null;
        YarnClient yarn = null;
        try {
            // Not FileSystem.get: that instance is cached JVM-wide and EmbeddedCluster.start (of any later cluster)
            // calls FileSystem.closeAll(), which would close it under a shared cluster's tests.
            fs = FileSystem.newInstance(cluster.dfs().getURI(), cluster.conf());
            yarn = YarnClient.createYarnClient();
            yarn.init(cluster.conf());
            yarn.start();
            return new WeftTestCluster(cluster, shared, fs, yarn);
        } catch (IOException | RuntimeException e) {
            if (yarn != null) {
                yarn.stop();
            }
            if (fs != null) {
                fs.close();
            }
            cluster.close();
            throw e;
        }
    }

    /** HDFS of this cluster, a client of the test's own: never closed by another cluster's start-up. */
    public FileSystem fileSystem() {
        return fs;
    }

    /** A started client of this cluster's ResourceManager; closed with the cluster. */
    public YarnClient yarnClient() {
        return yarn;
    }

    /** A copy of the client configuration: the ResourceManager's addresses and {@code fs.defaultFS}. */
    public Configuration conf() {
        return cluster.conf();
    }

    /** The cluster itself: MiniDFS, MiniYARN, the NodeManagers, the generated configuration directory. */
    public EmbeddedCluster embedded() {
        return cluster;
    }

    /** Whether this cluster serves several test classes ({@link WeftCluster#shared}). */
    public boolean shared() {
        return shared;
    }

    /**
     * Runs {@code mainClass} exactly as {@code yarn jar <jar> <mainClass> <args>} would, through Hadoop's {@link
     * RunJar}: the jar is the one the class was loaded from (a class directory is packed into one), the arguments
     * are the cluster's generic options ({@code -conf} core-site.xml and yarn-site.xml), {@link #SMALL_CONTAINERS},
     * {@code -D weft.app.name=<unique name>}, the options of the kit's {@link EventRecorder} and then {@code args}
     * (generic options such as {@code -D key=value} first, then the program's own). The client's {@code System.exit}
     * is turned into its exit code (system property {@code weft.client.noExit=true}, set for the whole JVM).
     *
     * <p>Returns at once; the client runs on a daemon thread of its own.
     */
    public SubmittedJob submit(Class<?> mainClass, String... args) throws IOException {
        return submit(mainClass, List.of(), args);
    }

    /**
     * {@link #submit(Class, String...)} with fault points: the driver pauses at each of {@code pauseAt} until the
     * test {@linkplain SubmittedJob#resume resumes} it (see {@link SubmittedJob#at}).
     */
    public SubmittedJob submit(Class<?> mainClass, List<FaultPoint> pauseAt, String... args) throws IOException {
        int n = submissions.incrementAndGet();
        String appName = appNameIn(args);
        if (appName == null) {
            appName = mainClass.getSimpleName() + "-" + n;
        }
        org.apache.hadoop.fs.Path eventsDir = fs.makeQualified(
                new org.apache.hadoop.fs.Path(EVENTS_ROOT, n + "-" + appName.replaceAll("[^A-Za-z0-9_.-]", "_")));
        fs.delete(eventsDir, true);
        Set<ApplicationId> known = new HashSet<>();
        for (ApplicationReport r : applications(DRIVER_TYPE)) {
            known.add(r.getApplicationId());
        }
        List<String> argv = new ArrayList<>();
        argv.add(Jars.jarOf(mainClass).toString());
        argv.add(mainClass.getName());
        argv.addAll(cluster.genericOptions());
        argv.addAll(SMALL_CONTAINERS);
        argv.add("-D");
        argv.add(APP_NAME_KEY + "=" + appName);
        argv.add("-D");
        argv.add(TestkitConfigKeys.EVENTS_DIR.name() + "=" + eventsDir);
        argv.add("-D");
        argv.add(TestkitConfigKeys.PAUSE_AT.name() + "="
                + String.join(",", pauseAt.stream().map(FaultPoint::spec).toList()));
        argv.addAll(withRecorder(args));
        System.setProperty("weft.client.noExit", "true");
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread client = new Thread(
                () -> {
                    try {
                        exit.complete(runJar(argv));
                    } catch (Throwable t) {
                        exit.completeExceptionally(t);
                    }
                },
                "weft-testkit-client-" + appName);
        client.setDaemon(true);
        ClientOutput.install();
        java.io.ByteArrayOutputStream output = ClientOutput.register(client);
        client.start();
        return new SubmittedJob(this, mainClass, appName, known, eventsDir, pauseAt, exit, output);
    }

    /**
     * {@code args} with the kit's {@link EventRecorder} among the driver's {@code weft.listeners}: appended to each
     * value the arguments give (the last one wins in Hadoop), or set ahead of them when they give none.
     */
    static List<String> withRecorder(String[] args) {
        String key = RuntimeConfigKeys.LISTENERS.name() + "=";
        String recorder = EventRecorder.class.getName();
        List<String> out = new ArrayList<>();
        boolean given = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-D") && i + 1 < args.length && args[i + 1].startsWith(key)) {
                out.add(a);
                out.add(withListener(args[++i], recorder));
                given = true;
            } else if (a.startsWith("-D" + key)) {
                out.add("-D" + withListener(a.substring(2), recorder));
                given = true;
            } else {
                out.add(a);
            }
        }
        if (!given) {
            out.add(0, "-D");
            out.add(1, key + recorder);
        }
        return out;
    }

    private static String withListener(String keyValue, String recorder) {
        return keyValue.endsWith("=") ? keyValue + recorder : keyValue + "," + recorder;
    }

    /** RunJar's main, returning the client's exit code instead of exiting the JVM. */
    private static int runJar(List<String> argv) throws Throwable {
        try {
            RunJar.main(argv.toArray(new String[0]));
            return 0;
        } catch (WeftContext.ClientExit e) {
            return e.code();
        }
    }

    /** The value of a {@code -D weft.app.name=…} among {@code args}, or null (the last one wins, as in Hadoop). */
    static String appNameIn(String[] args) {
        String name = null;
        String prefix = APP_NAME_KEY + "=";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-D") && i + 1 < args.length && args[i + 1].startsWith(prefix)) {
                name = args[i + 1].substring(prefix.length());
            } else if (args[i].startsWith("-D" + prefix)) {
                name = args[i].substring(2 + prefix.length());
            }
        }
        return name;
    }

    /**
     * Kills one running executor container of {@code job} as a crashing machine would: {@link
     * SignalContainerCommand#FORCEFUL_SHUTDOWN} through the ResourceManager, i.e. SIGKILL to the container's
     * process group. Waits (up to 90 s) for the executor application and one running container; picks the one with
     * the lowest id, and returns once it is dead (its exit status recorded, up to 120 s), so a job resumed afterwards
     * cannot outrun the kill. The container's exit status is then available from {@link #exitStatusOf}.
     *
     * @return the killed container
     */
    public ContainerId killExecutorContainer(SubmittedJob job) throws IOException, InterruptedException {
        ApplicationId executors = job.executorApplication();
        long deadline = System.nanoTime() + SubmittedJob.APPEARS_WITHIN.toNanos();
        ContainerReport victim;
        while ((victim = firstRunningContainer(executors)) == null) {
            if (job.isDone() || System.nanoTime() > deadline) {
                throw new IllegalStateException(executors + " has no running container to kill"
                        + (job.isDone() ? ": the job ended" : " after " + SubmittedJob.APPEARS_WITHIN));
            }
            Thread.sleep(100);
        }
        ContainerId id = victim.getContainerId();
        // Watch before signalling: a NodeManager forgets a finished container soon after the RM has seen it.
        killed.put(id, watchExit(id));
        try {
            yarn.signalToContainer(id, SignalContainerCommand.FORCEFUL_SHUTDOWN);
        } catch (YarnException e) {
            throw new IOException("cannot signal " + id, e);
        }
        awaitDeath(id);
        LOG.info("testkit: killed executor container {} of {} on {}", id, executors, victim.getAssignedNode());
        return id;
    }

    /**
     * Kills the driver's container (the ApplicationMaster of {@code job}'s current attempt) with {@link
     * SignalContainerCommand#FORCEFUL_SHUTDOWN}, as a crashing machine would, and returns once it is dead (as {@link
     * #killExecutorContainer} does). Its exit status is then available from {@link #exitStatusOf}.
     *
     * @return the killed container
     */
    public ContainerId killDriverContainer(SubmittedJob job) throws IOException, InterruptedException {
        ApplicationId driverApp = job.driverApplication();
        ContainerId am;
        try {
            ApplicationAttemptReport latest = yarn.getApplicationAttempts(driverApp).stream()
                    .max(Comparator.comparing(ApplicationAttemptReport::getApplicationAttemptId))
                    .orElseThrow(() -> new IllegalStateException(driverApp + " has no attempt yet"));
            am = latest.getAMContainerId();
            if (am == null) {
                throw new IllegalStateException(latest.getApplicationAttemptId() + " has no container yet");
            }
        } catch (YarnException e) {
            throw new IOException("cannot read the attempts of " + driverApp, e);
        }
        killed.put(am, watchExit(am));
        try {
            yarn.signalToContainer(am, SignalContainerCommand.FORCEFUL_SHUTDOWN);
        } catch (YarnException e) {
            throw new IOException("cannot signal " + am, e);
        }
        awaitDeath(am);
        LOG.info("testkit: killed the driver container {} of {}", am, driverApp);
        return am;
    }

    /**
     * Returns once the signalled container's exit status is known (or its watch gave up): the signal travels from the
     * ResourceManager to the NodeManager on a heartbeat, so without this a job resumed right after a kill could run
     * on, and even finish, before its process dies. A failed watch is reported by {@link #exitStatusOf}.
     */
    private void awaitDeath(ContainerId id) throws InterruptedException {
        try {
            killed.get(id).get();
        } catch (ExecutionException e) {
            LOG.warn("testkit: no exit status of {} seen: {}", id, e.getCause().toString());
        }
    }

    /**
     * The map output files ({@code .data}) of shuffle {@code shuffleId} that {@code job}'s executors wrote on any of
     * this cluster's NodeManagers, sorted by path. Shuffle ids count a program's shuffles from 0 in the order it
     * defines them.
     */
    public List<java.nio.file.Path> shuffleDataFiles(SubmittedJob job, int shuffleId)
            throws IOException, InterruptedException {
        return ShuffleOutputs.dataFiles(
                nodeManagerLocalDirs(), job.executorApplication().toString(), shuffleId);
    }

    /**
     * Corrupts one map output of shuffle {@code shuffleId} (the first of {@link #shuffleDataFiles}): 64 bytes in the
     * middle of its data file are inverted, its length stays. Call it while the job is paused after the map stage
     * (e.g. at {@link FaultPoint#stageSucceeded}), before a reader fetched the block.
     *
     * @return the corrupted file
     */
    public java.nio.file.Path corruptShuffleOutput(SubmittedJob job, int shuffleId)
            throws IOException, InterruptedException {
        java.nio.file.Path victim = firstShuffleFile(job, shuffleId);
        int inverted = ShuffleOutputs.corrupt(victim);
        LOG.info("testkit: inverted {} bytes of {}", inverted, victim);
        return victim;
    }

    /**
     * Deletes one map output of shuffle {@code shuffleId} (the first of {@link #shuffleDataFiles}: data and index),
     * as a lost disk would; see {@link #corruptShuffleOutput} for when to call it.
     *
     * @return the deleted data file
     */
    public java.nio.file.Path deleteShuffleOutput(SubmittedJob job, int shuffleId)
            throws IOException, InterruptedException {
        java.nio.file.Path victim = firstShuffleFile(job, shuffleId);
        ShuffleOutputs.delete(victim);
        LOG.info("testkit: deleted {} and its index", victim);
        return victim;
    }

    /**
     * Fails the local disk of NodeManager {@code i} (0-based, in start order) for {@code job}'s executors, as a dead
     * disk does: their directory there ({@code <local dir>/usercache/<user>/appcache/<executor app>/weft}: map
     * outputs, spills) is moved aside and a plain file takes its place. From then on every task on that node that
     * writes map output or spills fails ("Not a directory"), and the map outputs the node held cannot be fetched.
     * Only this job's executors are affected, so it is allowed on a shared cluster. Call it while the job is paused
     * at a {@link FaultPoint} after an executor started on that node.
     *
     * @return the failed directories (one per local directory of the node that held some)
     * @throws IllegalStateException when no executor of the job has a directory on that node
     */
    public List<java.nio.file.Path> failDisk(SubmittedJob job, int i) throws IOException, InterruptedException {
        List<java.nio.file.Path> localDirs = new ArrayList<>();
        for (String d : cluster.nodeManager(i)
                .getConfig()
                .getTrimmedStrings(org.apache.hadoop.yarn.conf.YarnConfiguration.NM_LOCAL_DIRS)) {
            localDirs.add(localPath(d));
        }
        String app = job.executorApplication().toString();
        List<java.nio.file.Path> failed = ShuffleOutputs.failDisks(localDirs, app);
        if (failed.isEmpty()) {
            throw new IllegalStateException(
                    "no executor of " + app + " has a directory on NodeManager " + i + " (" + localDirs + ")");
        }
        LOG.info("testkit: failed the disk of NodeManager {} for {}: {}", i, app, failed);
        return failed;
    }

    private static java.nio.file.Path localPath(String dir) {
        return java.nio.file.Path.of(
                dir.startsWith("file:") ? java.net.URI.create(dir).getPath() : dir);
    }

    private java.nio.file.Path firstShuffleFile(SubmittedJob job, int shuffleId)
            throws IOException, InterruptedException {
        List<java.nio.file.Path> files = shuffleDataFiles(job, shuffleId);
        if (files.isEmpty()) {
            throw new IllegalStateException("no map output of shuffle " + shuffleId + " of " + job.executorApplication()
                    + " under " + nodeManagerLocalDirs());
        }
        return files.get(0);
    }

    /** Every NodeManager's local directories (where containers' files and map outputs live). */
    public List<java.nio.file.Path> nodeManagerLocalDirs() {
        List<java.nio.file.Path> dirs = new ArrayList<>();
        for (int i = 0; i < cluster.nodeManagerCount(); i++) {
            for (String d : cluster.nodeManager(i)
                    .getConfig()
                    .getTrimmedStrings(org.apache.hadoop.yarn.conf.YarnConfiguration.NM_LOCAL_DIRS)) {
                dirs.add(localPath(d));
            }
        }
        return dirs;
    }

    /**
     * The exit status of a container {@link #killExecutorContainer} or {@link #killDriverContainer} killed, as its NodeManager recorded it (a
     * SIGKILLed container exits with 137); waits up to {@code timeout}.
     */
    public int exitStatusOf(ContainerId container, Duration timeout) throws InterruptedException {
        CompletableFuture<Integer> status = killed.get(container);
        if (status == null) {
            throw new IllegalArgumentException(container + " was not killed by this test cluster");
        }
        try {
            return status.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no exit status of " + container + " within " + timeout, e);
        } catch (ExecutionException e) {
            throw new AssertionError("the exit status of " + container + " could not be read", e.getCause());
        }
    }

    private ContainerReport firstRunningContainer(ApplicationId app) throws IOException {
        try {
            List<ApplicationAttemptReport> attempts = yarn.getApplicationAttempts(app);
            if (attempts.isEmpty()) {
                return null;
            }
            ApplicationAttemptReport latest = attempts.stream()
                    .max(Comparator.comparing(ApplicationAttemptReport::getApplicationAttemptId))
                    .orElseThrow();
            return yarn.getContainers(latest.getApplicationAttemptId()).stream()
                    .filter(c -> c.getContainerState() == ContainerState.RUNNING)
                    .min(Comparator.comparing(ContainerReport::getContainerId))
                    .orElse(null);
        } catch (YarnException e) {
            throw new IOException("cannot list the containers of " + app, e);
        }
    }

    /**
     * Polls every NodeManager's own record of {@code id} until it holds an exit status. The NodeManager keeps a
     * finished container until the ResourceManager has acknowledged it (at least one NodeManager heartbeat after
     * the application master heard of it), far longer than the 10 ms between polls.
     */
    private CompletableFuture<Integer> watchExit(ContainerId id) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Thread watcher = new Thread(
                () -> {
                    long deadline = System.nanoTime() + EXIT_SEEN_WITHIN.toNanos();
                    boolean seen = false;
                    try {
                        while (System.nanoTime() < deadline) {
                            Container c = findContainer(id);
                            if (c != null) {
                                seen = true;
                                int exit = c.cloneAndGetContainerStatus().getExitStatus();
                                if (exit != ContainerExitStatus.INVALID) {
                                    status.complete(exit);
                                    return;
                                }
                            } else if (seen) {
                                status.completeExceptionally(new IllegalStateException(
                                        id + " left its NodeManager before an exit status was seen"));
                                return;
                            }
                            Thread.sleep(10);
                        }
                        status.completeExceptionally(
                                new TimeoutException("no exit status of " + id + " within " + EXIT_SEEN_WITHIN));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        status.completeExceptionally(e);
                    } catch (RuntimeException e) {
                        status.completeExceptionally(e);
                    }
                },
                "weft-testkit-exit-" + id);
        watcher.setDaemon(true);
        watcher.start();
        return status;
    }

    private Container findContainer(ContainerId id) {
        for (int i = 0; i < cluster.nodeManagerCount(); i++) {
            Container c = cluster.nodeManager(i).getNMContext().getContainers().get(id);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /**
     * Stops NodeManager {@code i} (0-based, in start order) as a node that shuts down: its containers are killed
     * and it leaves the ResourceManager, which this waits for (up to 60 s). Not on a shared cluster.
     *
     * <p>A stopping NodeManager unregisters from the ResourceManager. MiniYARN's own NodeManagers reach the
     * ResourceManager through an in-process short-circuit that drops the unregistration (the node would only be
     * declared lost after {@code yarn.nm.liveness-monitor.expiry-interval-ms}, 10 min), so the kit hands it to the
     * ResourceManager's {@code ResourceTrackerService} itself, as the NodeManager's RPC would.
     */
    public void stopNodeManager(int i) throws IOException, InterruptedException {
        requireClassScoped("stopNodeManager");
        NodeManager nm = cluster.nodeManager(i);
        NodeId node = nm.getNMContext().getNodeId();
        // A recoverable NodeManager (distinct hosts) would leave its containers for a successor that never comes.
        nm.getNMContext().setDecommissioned(true);
        nm.stop();
        try {
            // Ignored by the RM when the NodeManager's own unregistration already arrived (a node it no longer lists).
            cluster.yarn()
                    .getResourceManager()
                    .getResourceTrackerService()
                    .unRegisterNodeManager(UnRegisterNodeManagerRequest.newInstance(node));
        } catch (YarnException e) {
            throw new IOException("the ResourceManager refused the unregistration of " + node, e);
        }
        long deadline = System.nanoTime() + NODE_GONE_WITHIN.toNanos();
        while (runningNodes().contains(node)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ResourceManager still lists " + node + " as running "
                        + NODE_GONE_WITHIN + " after its stop");
            }
            Thread.sleep(100);
        }
        LOG.info("testkit: stopped NodeManager {} ({})", i, node);
    }

    /**
     * Restarts NodeManager {@code i} (0-based, in start order) as an operator's rolling restart does, on a cluster
     * with {@linkplain WeftCluster#distinctHosts distinct hosts}: its containers keep running, and the new
     * NodeManager recovers them, the applications and the shuffle service's secrets from its state store, on the same
     * ports (see {@link EmbeddedCluster#restartNodeManager}). Heals, but not on a shared cluster: the node is away
     * for a moment.
     *
     * @return the NodeManager now running there
     */
    public NodeManager restartNodeManager(int i) throws IOException {
        requireClassScoped("restartNodeManager");
        NodeManager fresh = cluster.restartNodeManager(i);
        LOG.info(
                "testkit: restarted NodeManager {} ({})",
                i,
                fresh.getNMContext().getNodeId());
        return fresh;
    }

    /**
     * Stops DataNode {@code i} (0-based, in start order; indices stay valid after a stop) and marks it dead in the
     * NameNode at once, as the NameNode would by itself after its heartbeat expiry (10.5 min by default): reads go to
     * other replicas and new blocks to other DataNodes. Not on a shared cluster.
     */
    public void stopDataNode(int i) throws IOException {
        requireClassScoped("stopDataNode");
        if (i < 0 || i >= dataNodes.size()) {
            throw new IllegalArgumentException("no DataNode " + i + "; this cluster started " + dataNodes.size());
        }
        MiniDFSCluster.DataNodeProperties stopped = cluster.dfs().stopDataNode(dataNodes.get(i));
        if (stopped == null) {
            throw new IllegalStateException("DataNode " + i + " (" + dataNodes.get(i) + ") is already stopped");
        }
        cluster.dfs().setDataNodeDead(stopped.getDatanode().getDatanodeId());
        LOG.info("testkit: stopped DataNode {} ({})", i, dataNodes.get(i));
    }

    private void requireClassScoped(String fault) {
        if (shared) {
            throw new IllegalStateException(fault + " would change a cluster other test classes share: use"
                    + " @WeftCluster(shared = false) for faults that do not heal");
        }
    }

    private Set<NodeId> runningNodes() throws IOException {
        try {
            Set<NodeId> ids = new HashSet<>();
            for (NodeReport r : yarn.getNodeReports(NodeState.RUNNING)) {
                ids.add(r.getNodeId());
            }
            return ids;
        } catch (YarnException e) {
            throw new IOException("cannot list the cluster's nodes", e);
        }
    }

    List<ApplicationReport> applications(String type) throws IOException {
        try {
            return yarn.getApplications(Set.of(type));
        } catch (YarnException e) {
            throw new IOException("cannot list " + type + " applications", e);
        }
    }

    ApplicationReport applicationReport(ApplicationId app) throws IOException {
        try {
            return yarn.getApplicationReport(app);
        } catch (YarnException e) {
            throw new IOException("cannot read the report of " + app, e);
        }
    }

    void killApplication(ApplicationId app) throws IOException {
        try {
            yarn.killApplication(app);
        } catch (YarnException e) {
            throw new IOException("cannot kill " + app, e);
        }
    }

    /** Closes the client, the file system and the cluster; the extension calls it once. */
    void close() {
        yarn.stop();
        try {
            fs.close();
        } catch (IOException e) {
            LOG.warn("testkit: closing the file system failed", e);
        }
        cluster.close();
    }
}
