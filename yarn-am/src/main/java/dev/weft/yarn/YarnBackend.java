package dev.weft.yarn;

import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import dev.weft.error.WeftError;
import dev.weft.executor.driver.DriverEndpoint;
import dev.weft.executor.driver.DriverServices;
import dev.weft.executor.rpc.RpcConfig;
import dev.weft.id.ExecutorId;
import dev.weft.id.ShuffleId;
import dev.weft.id.TaskAttemptId;
import dev.weft.scheduler.DriverContext;
import dev.weft.scheduler.HostTopology;
import dev.weft.scheduler.JobShape;
import dev.weft.scheduler.OutputCommitCoordinator;
import dev.weft.scheduler.PendingTaskLocality;
import dev.weft.scheduler.SchedulerBackend;
import dev.weft.shuffle.MapStatus;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import dev.weft.transport.auth.AuthSecret;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.ApplicationAttemptId;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.NodeReport;
import org.apache.hadoop.yarn.api.records.NodeState;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.api.records.YarnApplicationAttemptState;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException;
import org.apache.hadoop.yarn.util.RackResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks in executor containers: asks the ResourceManager (through the {@link ExecutorApplication}
 * in the executor queue) for {@code weft.executor.instances} containers, starts an executor JVM in each,
 * and relays tasks and outcomes over the authenticated driver endpoint. Lost containers are classified
 * (preempted / killed / out of memory / failed), reported so their tasks re-run, and replaced.
 *
 * <p>This class only coordinates; each job has its own class:
 * <ul>
 *   <li>{@link ContainerMatcher}: the container requests (on the hosts of pending tasks, strict then
 *       relaxed) and which allocated container satisfies which request;
 *   <li>{@link ContainerLauncher}: launch contexts and the NodeManager calls;
 *   <li>{@link ExecutorRegistry}: live and lost executors, exit classification, the failure budget that
 *       decides whether a lost executor is replaced.
 * </ul>
 *
 * <p>Locality: container requests name the hosts the scheduler's pending tasks prefer
 * ({@link DriverContext#pendingTasks()}), with relaxed locality so the ResourceManager still places them
 * elsewhere when those nodes are full. Because the backend starts with the context, before the program
 * submits its first job, the allocator waits briefly for the first pending tasks before it asks for the
 * initial executors. Executors register under their container's NodeManager host, the name HDFS and the
 * ResourceManager use for the node, and {@link #hostTopology()} resolves racks as the ResourceManager does.
 *
 * <p>Threading: the scheduler thread calls launch/kill; one allocator thread owns the RM conversation
 * and the outstanding requests; container starts run on a small pool; endpoint callbacks arrive on Netty
 * threads. Shared maps are concurrent.
 */
final class YarnBackend implements SchedulerBackend {
    private static final Logger LOG = LoggerFactory.getLogger(YarnBackend.class);
    static final String SECRET_ENV = "WEFT_AUTH_SECRET";
    /**
     * How long the allocator waits for the first job's tasks, once a job needs executor containers, before it asks
     * without knowing where the data is. The tasks are normally pending within milliseconds of the job's submission.
     */
    private static final long FIRST_TASKS_WAIT_MS = 3_000;
    /** How often the list of running NodeManagers is read again for placing replacement executors. */
    private static final long NODES_REFRESH_MS = 30_000;
    /**
     * How long an executor whose connection closed is held before it is reported lost without YARN's word on its
     * container. The connection usually closes a second or two before the ResourceManager reports the container's
     * exit (a NodeManager heartbeat, then an allocate call); waiting for that report is what tells a memory-limit
     * kill (which counts against the running tasks) from a kill on request or a lost node (which does not). A node
     * that died reports nothing for minutes: then the loss is reported after this wait, and the container released.
     */
    static final long EXIT_STATUS_WAIT_MS = 5_000;

    private final DriverContext driver;
    private final WeftConf conf;
    private final int instances;
    private final int cores;
    private final long executorHeap;
    private final ExecutorRegistry registry;
    /** {@code weft.yarn.executor.strict-placement-wait}. */
    private final long strictPlacementMs;

    private final UberPolicy uber;
    private final DynamicAllocation dynamic;
    /** Counted down when the first job that needs executor containers is submitted; at once when uber mode is off. */
    private final CountDownLatch containersWanted = new CountDownLatch(1);
    /** {@code weft.executor.idle-timeout}; 0 keeps executors for the whole program. */
    private final long idleTimeoutMs;
    /** Containers given back and not yet reported completed by the RM, with their nodes; allocator thread only. */
    private final Map<ContainerId, String> releasing = new HashMap<>();
    /** Executors given back for idleness, to ask for again when tasks wait; allocator thread only. */
    private int idleGivenBack;
    /** Replacements of preempted executors, held back while the ResourceManager still asks; allocator thread. */
    private final PreemptionReask preemptionReask;

    private final AtomicInteger preemptedGivenBack = new AtomicInteger();
    private final AtomicInteger preemptedKilled = new AtomicInteger();
    private final ContainerOptions executorOptions;
    /**
     * Executors whose connection closed while YARN still counts their container live: the reason and the deadline
     * ({@link System#nanoTime}) of the wait for the container's exit status. Written by the RPC threads, drained by
     * the allocator thread.
     */
    private final Map<String, Disconnected> awaitingExitStatus = new ConcurrentHashMap<>();

    private record Disconnected(String reason, long deadlineNanos) {}

    /**
     * What the scheduler's exclusions ask of the allocator thread: give an executor back and replace it, or put a node
     * on (or take it off) the placement blacklist. Posted by the scheduler thread, drained by the allocator thread.
     */
    private sealed interface ExclusionWork {
        record GiveBack(String executorId, String reason) implements ExclusionWork {}

        record Blacklist(String host, boolean excluded) implements ExclusionWork {}
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<ExclusionWork> exclusionWork =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Nodes excluded by the scheduler, kept out of placement plans; written by the allocator thread. */
    private final Set<String> excludedNodes = ConcurrentHashMap.newKeySet();
    /** The running NodeManagers' hosts last read, for {@link #clusterHosts()}; written by the allocator thread. */
    private volatile Set<String> clusterHosts = Set.of();

    /** Executor applications started so far (a new one replaces one that ended under the driver); allocator thread. */
    private int executorAppsStarted;
    /** When allocate calls started failing in a row ({@link System#nanoTime}), 0 while they succeed; allocator thread. */
    private long allocateFailingSince;

    private final ExecutorService launcherPool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "weft-container-launcher");
        t.setDaemon(true);
        return t;
    });
    private volatile Listener listener;
    private volatile RegistrationGate gate;
    private volatile DriverEndpoint endpoint;
    private volatile ExecutorApplication executors;
    private volatile ContainerLauncher launcher;
    private volatile boolean stopping;
    private Thread allocator;
    /** Created by the allocator thread once containers are wanted and it knows the first tasks; only it uses it. */
    private ContainerMatcher matcher;
    /** The running NodeManagers, read by the allocator thread; only it uses them. */
    private NodeDirectory nodes;

    private long nodesReadAt;
    /** Written by the allocator thread, read by the abnormal-shutdown hook too. */
    private volatile YarnClient yarn;
    /** This attempt's journal; null when the driver cannot be restarted (or the journal could not be opened). */
    private HdfsDriverJournal journal;
    /** Executor applications of earlier driver attempts, held for their map output; null in a first attempt. */
    private EarlierExecutorApplications earlier;
    /** The ResourceManager client {@link #earlier} uses; null in a first attempt. */
    private YarnClient restartYarn;
    /** The executor inside the driver for small jobs (uber mode); guarded by this. */
    private DriverExecutor driverExecutor;

    private boolean driverExecutorRetired;
    private volatile StartupTimeline timeline;

    YarnBackend(DriverContext driver) {
        this.driver = driver;
        this.conf = driver.conf();
        this.instances = conf.get(YarnConfigKeys.EXECUTOR_INSTANCES);
        this.cores = conf.get(YarnConfigKeys.EXECUTOR_CORES);
        this.executorOptions = ContainerOptions.executor(conf);
        this.executorHeap = executorOptions.heapBytes();
        this.registry = new ExecutorRegistry(instances, Ticker.SYSTEM);
        this.idleTimeoutMs = conf.get(YarnConfigKeys.EXECUTOR_IDLE_TIMEOUT);
        this.preemptionReask = new PreemptionReask(conf.get(YarnConfigKeys.PREEMPTION_REASK_DELAY));
        this.strictPlacementMs = conf.get(YarnConfigKeys.STRICT_PLACEMENT_WAIT);
        this.uber = UberPolicy.from(conf);
        this.dynamic = new DynamicAllocation(DynamicAllocation.Settings.from(conf));
        if (!uber.enabled()) {
            containersWanted.countDown();
        }
        AmRuntime rt = AmRuntime.getIfPresent();
        if (rt != null && rt.maxAttempts > 1) {
            openJournal(rt);
        }
    }

    /**
     * A driver the ResourceManager may restart journals its completed shuffles; a restarted one (attempt 2 on) holds
     * the executor applications earlier attempts left, whose NodeManager services still serve those outputs.
     */
    private void openJournal(AmRuntime rt) {
        try {
            if (rt.attempt > 1) {
                restartYarn = YarnClient.createYarnClient();
                restartYarn.init(rt.conf);
                restartYarn.start();
                earlier = EarlierExecutorApplications.hold(
                        restartYarn, rt.appId, YarnConfigKeys.executorAppLeaseSeconds(conf) * 1000L);
            }
            EarlierExecutorApplications held = earlier;
            String self = rt.appId.toString();
            journal = HdfsDriverJournal.open(
                    rt.conf,
                    HdfsDriverJournal.directory(rt.staging.appDir()),
                    self,
                    rt.attempt,
                    app -> app.equals(self) || (held != null && held.holds(app)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("no driver journal (a restarted driver will compute everything again): {}", e.toString());
        }
    }

    /**
     * Whether the ResourceManager already ended this driver attempt, which is how a SIGTERM from {@code yarn
     * application -kill} arrives (the RM marks the attempt KILLED, then has the NodeManager stop its container): no
     * attempt follows, so the executor application goes too. A NodeManager stopping or a crash leaves it RUNNING. Asks
     * once, within the NodeManager's grace before SIGKILL; any doubt counts as not ended (the lease decides).
     */
    private boolean attemptEndedByResourceManager(AmRuntime rt) {
        YarnClient client = yarn;
        if (client == null) {
            return false;
        }
        try {
            YarnApplicationAttemptState state = client.getApplicationAttemptReport(
                            ApplicationAttemptId.newInstance(rt.appId, rt.attempt))
                    .getYarnApplicationAttemptState();
            return state == YarnApplicationAttemptState.KILLED
                    || state == YarnApplicationAttemptState.FAILED
                    || state == YarnApplicationAttemptState.FINISHED;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String applicationId() {
        AmRuntime rt = AmRuntime.getIfPresent();
        return rt == null ? "" : rt.appId.toString();
    }

    @Override
    public int driverAttempt() {
        AmRuntime rt = AmRuntime.getIfPresent();
        return rt == null ? 1 : rt.attempt;
    }

    @Override
    public dev.weft.scheduler.DriverJournal journal() {
        return journal == null ? dev.weft.scheduler.DriverJournal.NONE : journal;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        this.gate = new RegistrationGate(
                (int) Math.ceil(instances * conf.get(YarnConfigKeys.MIN_REGISTERED_RATIO)),
                conf.get(YarnConfigKeys.MAX_REGISTERED_WAIT));
        AmRuntime rt = AmRuntime.get();
        driver.events().add(rt.ui);
        if (rt.eventLog != null) {
            driver.events().add(rt.eventLog);
        }
        AuthSecret secret = secret();
        try {
            // The job's weft.rpc.* settings; integrity defaults to on where the cluster authenticates with Kerberos.
            RpcConfig rpcConfig = RpcConfig.fromMap(
                    conf.asMap(), org.apache.hadoop.security.UserGroupInformation.isSecurityEnabled());
            endpoint = new DriverEndpoint(
                    rt.host,
                    0,
                    secret,
                    new EndpointHandler(),
                    new DriverServices() {
                        @Override
                        public MapStatus[] mapStatuses(int shuffleId) {
                            try {
                                return driver.mapOutputs().statuses(new ShuffleId(shuffleId));
                            } catch (IllegalStateException unknownShuffle) {
                                return null;
                            }
                        }

                        @Override
                        public byte[] broadcast(long id) {
                            return driver.broadcasts().get(id);
                        }

                        @Override
                        public String canCommit(String executorId, int stageId, int partition, long taskId) {
                            OutputCommitCoordinator.Decision d =
                                    driver.commits().canCommit(executorId, stageId, partition, taskId);
                            return d.granted() ? null : d.name();
                        }
                    },
                    rpcConfig);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the driver endpoint: " + e.getMessage(), e);
        }
        DriverCredentials.sendTo(endpoint::updateCredentials);
        timeline = rt.timeline;
        driver.events().add(rt.timeline);
        // The executor application registers on the allocator thread, while the program builds its first job.
        allocator = new Thread(() -> allocateLoop(rt, secret), "weft-allocator");
        allocator.setDaemon(true);
        allocator.start();
        LOG.info(
                "yarn backend: {} executors x {} cores, {} MiB heap; small jobs inside the driver: {}",
                instances,
                cores,
                executorHeap >> 20,
                uber.enabled()
                        ? "up to " + uber.maxTasks() + " tasks and " + uber.maxInputBytes() + " input bytes"
                        : "no");
    }

    /**
     * Registers the executor application (a second application in the executor queue, or the driver's own when the
     * queues are the same) and prepares container launches. Allocator thread.
     */
    private void startExecutorApplication(AmRuntime rt, AuthSecret secret) throws Exception {
        ExecutorApplication app = openExecutorApplication(rt, secret);
        if (app == null) {
            return;
        }
        rt.timeline.mark(StartupTimeline.Phase.EXECUTOR_APP_REGISTERED);
        LOG.info("executor application {} registered", app.applicationId());
        yarn = YarnClient.createYarnClient();
        yarn.init(rt.conf);
        yarn.start();
    }

    /**
     * Registers a new executor application and a launcher for it, and makes it the current one; null when the backend
     * is stopping (the application is finished again at once). Allocator thread.
     */
    private ExecutorApplication openExecutorApplication(AmRuntime rt, AuthSecret secret) throws Exception {
        String driverQueue = YarnConfigKeys.driverQueue(conf);
        String executorQueue = YarnConfigKeys.executorQueue(conf);
        ExecutorApplication app;
        if (driverQueue.equals(executorQueue)) {
            app = new SameApplicationExecutors(rt);
        } else {
            UnmanagedExecutorApplication uam = UnmanagedExecutorApplication.start(
                    rt.conf,
                    executorQueue,
                    conf.get(RuntimeConfigKeys.APP_NAME),
                    rt.appId.toString(),
                    YarnConfigKeys.executorAppLeaseSeconds(conf),
                    DriverMain.proxiedUrl(rt.conf, rt.appId, "executors"),
                    conf.get(YarnConfigKeys.TAGS),
                    conf.get(YarnConfigKeys.PRIORITY));
            DriverMain.onAbnormalShutdown(() -> {
                if (rt.attempt < rt.maxAttempts && !attemptEndedByResourceManager(rt)) {
                    // A crash: the next attempt replays the journal and reads the map output this application's
                    // NodeManagers serve. Should none come, the lease ends the application.
                    LOG.warn(
                            "leaving executor application {} to the driver's next attempt; its lease ends it in at"
                                    + " most {} s otherwise",
                            uam.applicationId(),
                            YarnConfigKeys.executorAppLeaseSeconds(conf));
                } else {
                    uam.kill();
                }
            });
            app = uam;
        }
        launcher = new ContainerLauncher(
                app,
                rt.conf,
                () -> ContainerSpecs.localResources(rt.conf, rt.staging.resources()),
                secret,
                new ContainerLauncher.ExecutorSpec(
                        executorOptions,
                        cores,
                        conf.get(RuntimeConfigKeys.MEMORY_BUDGET, (long) (executorHeap * 0.3)),
                        endpoint.address(),
                        app.applicationId()),
                registry,
                launcherPool);
        synchronized (this) {
            if (stopping) {
                app.finish(FinalApplicationStatus.SUCCEEDED, "driver finished");
                app.close();
                return null;
            }
            executors = app;
        }
        executorAppsStarted++;
        return app;
    }

    /**
     * Whether an allocate call's failure means the executor application is gone: the ResourceManager reports it ended
     * or does not know it, or allocate calls have failed for {@code weft.yarn.executor-app.allocate-timeout}. Returns
     * why, or null for a failure to retry. Allocator thread.
     */
    private String executorApplicationGone(Exception failure) {
        ApplicationId id = executors.applicationId();
        if (yarn != null && executors instanceof UnmanagedExecutorApplication) {
            try {
                ApplicationReport r = yarn.getApplicationReport(id);
                YarnApplicationState state = r.getYarnApplicationState();
                if (state == YarnApplicationState.FINISHED
                        || state == YarnApplicationState.FAILED
                        || state == YarnApplicationState.KILLED) {
                    String diagnostics =
                            r.getDiagnostics() == null ? "" : r.getDiagnostics().trim();
                    return "executor application " + id + " is " + state
                            + (diagnostics.isEmpty() ? "" : " (" + diagnostics + ")");
                }
            } catch (ApplicationNotFoundException e) {
                return "executor application " + id + " is unknown to the ResourceManager";
            } catch (Exception e) {
                LOG.debug("cannot read the report of executor application {}: {}", id, e.toString());
            }
        }
        long now = System.nanoTime();
        if (allocateFailingSince == 0) {
            allocateFailingSince = now;
        } else if (now - allocateFailingSince > conf.get(YarnConfigKeys.EXECUTOR_APP_ALLOCATE_TIMEOUT) * 1_000_000L) {
            return "allocate calls for executor application " + id + " have failed for "
                    + conf.get(YarnConfigKeys.EXECUTOR_APP_ALLOCATE_TIMEOUT) + " ms; the last: " + failure;
        }
        return null;
    }

    /**
     * The executor application ended under the driver: its executors are reported lost with their map output (YARN
     * deletes an application's directories when it ends), it is killed should it still run, and a new one is started
     * and asked for the executors, up to {@code weft.yarn.executor-app.max-attempts}; then no executors can run.
     * Returns false when the allocator should stop. Allocator thread.
     */
    private boolean replaceExecutorApplication(AmRuntime rt, AuthSecret secret, String why) {
        ExecutorApplication old = executors;
        LOG.error("{}; its {} executors are lost", why, registry.liveCount());
        for (String exec : registry.liveExecutors()) {
            if (registry.giveBack(exec, WeftError.EXECUTOR_LOST, why) != null) {
                listener.executorLost(new ExecutorId(exec), WeftError.EXECUTOR_LOST, why, true);
            }
        }
        awaitingExitStatus.clear();
        releasing.clear();
        idleGivenBack = 0;
        matcher = null;
        old.abandon();
        int limit = conf.get(YarnConfigKeys.EXECUTOR_APP_MAX_ATTEMPTS);
        if (executorAppsStarted >= limit) {
            listener.executorsUnavailable("the executor application ended under the driver " + executorAppsStarted
                    + " times (weft.yarn.executor-app.max-attempts = " + limit + "); the last time: " + why);
            return false;
        }
        try {
            ExecutorApplication fresh = openExecutorApplication(rt, secret);
            if (fresh == null) {
                return false;
            }
            LOG.warn(
                    "started executor application {} ({} of at most {}) in place of {}",
                    fresh.applicationId(),
                    executorAppsStarted,
                    limit,
                    old.applicationId());
            return true;
        } catch (Exception e) {
            listener.executorsUnavailable(why + "; and a new executor application could not be started: " + e);
            return false;
        }
    }

    /**
     * The application's secret, chosen by the client and carried by the container's credentials; a driver started
     * some other way (tests, the environment variable outside YARN) makes its own.
     */
    private static AuthSecret secret() {
        byte[] fromCredentials = dev.weft.executor.ContainerSecret.read();
        if (fromCredentials != null) {
            return new AuthSecret(fromCredentials);
        }
        String env = System.getenv(SECRET_ENV);
        return env != null && !env.isEmpty() ? AuthSecret.fromBase64(env) : FALLBACK_SECRET;
    }

    private static final AuthSecret FALLBACK_SECRET = AuthSecret.random();

    private void allocateLoop(AmRuntime rt, AuthSecret secret) {
        try {
            startExecutorApplication(rt, secret);
        } catch (Exception e) {
            if (!stopping) {
                LOG.error("cannot start the executor application", e);
                listener.executorsUnavailable("cannot start the executor application in queue "
                        + YarnConfigKeys.executorQueue(conf) + ": " + e.getMessage());
            }
            return;
        }
        while (!stopping) {
            try {
                if (matcher == null && containersWanted.getCount() == 0) {
                    requestInitialExecutors();
                }
                // Allocate also while no container is wanted: it renews the executor application's lease and
                // tells the ResourceManager its ApplicationMaster is alive.
                AllocateResponse resp = executors.allocate(rt.ui.progress());
                allocateFailingSince = 0;
                if (earlier != null) {
                    earlier.renewIfDue();
                }
                for (Container c : resp.getAllocatedContainers()) {
                    onAllocated(c);
                }
                for (ContainerStatus s : resp.getCompletedContainersStatuses()) {
                    onCompleted(s);
                }
                onPreemptionAsked(PreemptionPlanner.Ask.of(resp.getPreemptionMessage()));
                if (matcher == null) {
                    containersWanted.await(1, TimeUnit.SECONDS);
                    continue;
                }
                reportDisconnectedWithoutExitStatus();
                applyExclusions();
                reaskPreempted();
                giveBackIdleExecutors();
                requestForBacklog();
                matcher.relaxStaleRequests();
                Thread.sleep(registry.liveCount() < instances ? 200 : 1000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (stopping) {
                    continue;
                }
                String gone = executorApplicationGone(e);
                if (gone == null) {
                    LOG.warn("allocate call for executors failed: {}", e.toString());
                    sleepQuietly(1000);
                } else if (!replaceExecutorApplication(rt, secret, gone)) {
                    return;
                }
            }
        }
    }

    /** The first job that needs containers was submitted: asks for the executors, near its tasks' data. */
    private void requestInitialExecutors() throws InterruptedException {
        gate.startClock();
        PendingTaskLocality.Snapshot first = awaitFirstTasks();
        matcher = new ContainerMatcher(
                executors,
                Resource.newInstance(executorOptions.containerMiB(), cores),
                strictPlacementMs,
                Ticker.SYSTEM,
                this::requested,
                executorOptions.nodeLabel());
        List<ExecutorPlacement.Request> plan = ExecutorPlacement.plan(first.tasksByHost(), nodes(), instances, cores);
        LOG.info(
                "requesting {} executors for {} pending tasks ({} with preferred hosts) on {} running NodeManagers",
                instances,
                first.pendingTasks(),
                first.localityAwareTasks(),
                nodes.nodes().size());
        plan.forEach(matcher::request);
    }

    /** Logs and publishes one container request. Allocator thread. */
    private void requested(String node, boolean strict, boolean relaxedAfterWait, String reason) {
        LOG.info(
                "asking for an executor {}: {}",
                node == null
                        ? "anywhere"
                        : "on " + node + (strict ? " only, for up to " + strictPlacementMs + " ms" : ""),
                reason);
        listener.executorRequested(node, strict, relaxedAfterWait, reason);
    }

    /** The running NodeManagers, read again when older than {@link #NODES_REFRESH_MS}. Allocator thread. */
    private NodeDirectory nodes() {
        long now = System.nanoTime();
        if (nodes == null || now - nodesReadAt > NODES_REFRESH_MS * 1_000_000L) {
            List<String> hosts = new java.util.ArrayList<>();
            try {
                for (NodeReport r : yarn.getNodeReports(NodeState.RUNNING)) {
                    hosts.add(r.getNodeId().getHost());
                }
            } catch (Exception e) {
                LOG.warn("cannot list the running NodeManagers ({}); asking for executors anywhere", e.toString());
            }
            clusterHosts = Set.copyOf(hosts);
            nodes = NodeDirectory.of(hosts, NodeDirectory.DNS);
            nodesReadAt = now;
        }
        if (!excludedNodes.isEmpty()) {
            // Placement plans must not ask for a node the scheduler excluded (the blacklist would never fill it).
            List<String> usable = new java.util.ArrayList<>(nodes.nodes());
            usable.removeAll(excludedNodes);
            return NodeDirectory.of(usable, NodeDirectory.DNS);
        }
        return nodes;
    }

    /**
     * Polls the scheduler's pending tasks until the program's first job has tasks waiting, or
     * {@link #FIRST_TASKS_WAIT_MS} passed (then the snapshot may be empty and every request is unplaced).
     */
    private PendingTaskLocality.Snapshot awaitFirstTasks() throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_TASKS_WAIT_MS * 1_000_000;
        PendingTaskLocality.Snapshot s = driver.pendingTasks().snapshot();
        while (s.pendingTasks() == 0 && !stopping && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling a published snapshot; there is no callback to wait on
            s = driver.pendingTasks().snapshot();
        }
        return s;
    }

    private void onAllocated(Container c) {
        if (stopping || matcher == null) {
            executors.releaseContainer(c.getId());
            return;
        }
        if (matcher.accept(c)) {
            timeline.mark(StartupTimeline.Phase.FIRST_CONTAINER_ALLOCATED);
            String executorId = registry.add(c.getId(), c.getNodeId());
            AmRuntime rt = AmRuntime.get();
            rt.executorLogs(executorId, DriverMain.containerLogsUrl(rt.conf, c.getNodeHttpAddress(), c.getId()));
            launcher.launch(c, executorId);
        }
    }

    private void onCompleted(ContainerStatus s) {
        releasing.remove(s.getContainerId());
        ExecutorRegistry.Lost lost = registry.completed(s);
        if (lost == null || stopping) {
            return;
        }
        awaitingExitStatus.remove(lost.executorId());
        if (lost.error() == WeftError.EXECUTOR_PREEMPTED) {
            int n = preemptedKilled.incrementAndGet();
            LOG.warn(
                    "executor {} preempted by the ResourceManager before it was given back ({} so far): {}",
                    lost.executorId(),
                    n,
                    lost.reason());
        } else {
            LOG.warn("executor {} lost: {}", lost.executorId(), lost.reason());
        }
        listener.executorLost(
                new ExecutorId(lost.executorId()),
                lost.error(),
                lost.reason(),
                registry.outputLostWith(lost.executorId()));
        if (!registry.replaceAfterLoss(lost)) {
            LOG.error("{} executor failures; not requesting more", registry.failures());
            if (registry.liveCount() == 0) {
                listener.executorsUnavailable(registry.failures() + " executors failed (the last: " + lost.reason()
                        + "); no more are asked for. Its log: yarn logs -applicationId " + executors.applicationId()
                        + " -containerId " + lost.container());
            }
            return;
        }
        if (lost.error() == WeftError.EXECUTOR_PREEMPTED) {
            preemptionReask.holdBack(1, System.nanoTime());
        } else {
            requestReplacement();
        }
    }

    /**
     * Reports the executors whose connection closed longer than {@link #EXIT_STATUS_WAIT_MS} ago without YARN
     * reporting their container, and releases those containers (a hung or partitioned executor must not hold them).
     * Their completion, when it comes, replaces them as any lost container's does. Allocator thread.
     */
    private void reportDisconnectedWithoutExitStatus() {
        long now = System.nanoTime();
        for (Map.Entry<String, Disconnected> e : awaitingExitStatus.entrySet()) {
            if (now - e.getValue().deadlineNanos() < 0 || !awaitingExitStatus.remove(e.getKey(), e.getValue())) {
                continue;
            }
            String exec = e.getKey();
            ContainerId container = registry.containerOf(exec);
            if (container == null) {
                continue; // its completion arrived meanwhile and was reported
            }
            String reason = e.getValue().reason() + " (YARN reported no exit of container " + container + " within "
                    + EXIT_STATUS_WAIT_MS + " ms; released)";
            LOG.warn("executor {} lost: {}", exec, reason);
            listener.executorLost(new ExecutorId(exec), WeftError.EXECUTOR_LOST, reason, registry.outputLostWith(exec));
            releasing.put(container, registry.node(exec) == null ? "" : registry.node(exec));
            executors.releaseContainer(container);
        }
    }

    /**
     * Carries out what the scheduler's exclusions asked for: excluded nodes go on the executor application's placement
     * blacklist (and come off when they expire), and excluded executors are given back and replaced, so that the
     * program does not hold containers no task will be offered. Allocator thread.
     */
    private void applyExclusions() {
        List<String> additions = new java.util.ArrayList<>();
        List<String> removals = new java.util.ArrayList<>();
        for (ExclusionWork w; (w = exclusionWork.poll()) != null; ) {
            if (w instanceof ExclusionWork.Blacklist b) {
                (b.excluded() ? additions : removals).add(b.host());
                if (b.excluded()) {
                    excludedNodes.add(b.host());
                } else {
                    excludedNodes.remove(b.host());
                }
            } else if (w instanceof ExclusionWork.GiveBack g) {
                if (giveBack(g.executorId(), WeftError.EXECUTOR_LOST, "excluded: " + g.reason())) {
                    LOG.info(
                            "executor {} excluded ({}): container given back, asking for a replacement",
                            g.executorId(),
                            g.reason());
                    if (registry.mayRequest()) {
                        requestReplacement();
                    }
                }
            }
        }
        if (!additions.isEmpty() || !removals.isEmpty()) {
            LOG.info(
                    "placement blacklist of {}: adding {}, removing {}",
                    executors.applicationId(),
                    additions,
                    removals);
            executors.updateBlacklist(additions, removals);
        }
    }

    @Override
    public void executorExcluded(ExecutorId executorId, String reason) {
        if (!executorId.value().equals(DriverExecutor.ID)) {
            exclusionWork.add(new ExclusionWork.GiveBack(executorId.value(), reason));
        }
    }

    @Override
    public void nodeExclusionChanged(String host, boolean excluded, String reason) {
        exclusionWork.add(new ExclusionWork.Blacklist(host, excluded));
    }

    @Override
    public boolean replacesExcludedExecutors() {
        return true;
    }

    @Override
    public Set<String> clusterHosts() {
        return clusterHosts;
    }

    /** Asks for one executor where the tasks waiting now would like it, which may not be the lost one's node. */
    private void requestReplacement() {
        if (matcher == null) {
            return;
        }
        matcher.request(ExecutorPlacement.plan(driver.pendingTasks().pendingTasksByHost(), nodes(), 1, cores)
                .get(0));
    }

    /**
     * The ResourceManager wants containers back for another queue: gives back executors before it kills the ones
     * it marked (see {@link PreemptionPlanner} for which), and asks for as many again once the ResourceManager has
     * stopped asking (see {@link PreemptionReask} for why not at once). A running task of a given-back executor is re-run without counting
     * against its attempts; its map output stays served by the node's shuffle service.
     */
    private void onPreemptionAsked(PreemptionPlanner.Ask ask) {
        if (ask.isEmpty() || stopping) {
            return;
        }
        preemptionReask.asked(System.nanoTime());
        if (matcher != null) {
            int withdrawn = matcher.withdrawAll();
            if (withdrawn > 0) {
                LOG.info(
                        "withdrawing {} outstanding executor requests while the ResourceManager takes containers"
                                + " back",
                        withdrawn);
                preemptionReask.holdBack(withdrawn, System.nanoTime());
            }
        }
        Set<String> marked = registry.preemptionRequested(ask.strict());
        marked.addAll(registry.preemptionRequested(ask.negotiable()));
        List<String> chosen = PreemptionPlanner.choose(ask, registry.loads(), releasing);
        LOG.info(
                "the ResourceManager asks for {} containers back ({} strict); giving back executors {}"
                        + " (it marked {})",
                ask.strict().size() + ask.negotiable().size(),
                ask.strict().size(),
                chosen,
                marked);
        for (String exec : chosen) {
            if (giveBack(exec, WeftError.EXECUTOR_PREEMPTED, "given back to the ResourceManager (preemption)")) {
                preemptedGivenBack.incrementAndGet();
                preemptionReask.holdBack(1, System.nanoTime());
            }
        }
    }

    /** Asks again for the executors preemption took, once the ResourceManager has been quiet long enough. */
    private void reaskPreempted() {
        int due = preemptionReask.due(System.nanoTime());
        if (due > 0) {
            LOG.info("the ResourceManager has asked for nothing back for a while: asking again for {} executors", due);
        }
        if (matcher == null) {
            return;
        }
        for (int i = 0; i < due && registry.mayRequest(); i++) {
            requestReplacement();
        }
    }

    /**
     * Gives back executors that ran no task for {@code weft.executor.idle-timeout} while no task waits, down to the
     * dynamic allocation's minimum, keeping those whose map output would go with them (no shuffle service serves it)
     * and those holding cached blocks. Without dynamic allocation they are asked for again once tasks wait; with it,
     * the backlog ramp ({@link #requestForBacklog}) does that.
     */
    private void giveBackIdleExecutors() {
        if (idleTimeoutMs <= 0 || stopping || matcher == null) {
            return;
        }
        int waiting = driver.pendingTasks().snapshot().pendingTasks();
        if (waiting > 0) {
            for (; !dynamic.enabled() && idleGivenBack > 0 && registry.mayRequest(); idleGivenBack--) {
                requestReplacement();
            }
            return;
        }
        long idleBefore = Ticker.SYSTEM.nanoTime() - idleTimeoutMs * 1_000_000L;
        Set<String> caching = driver.pendingTasks().cachingExecutors();
        int releasable = dynamic.releasable(registry.liveCount());
        for (String exec : PreemptionPlanner.idleSince(registry.loads(), idleBefore)) {
            if (releasable <= 0) {
                break;
            }
            if (registry.outputLostWith(exec) || caching.contains(exec)) {
                continue; // its map output or cached blocks would go with it
            }
            if (giveBack(exec, WeftError.EXECUTOR_LOST, "idle for " + idleTimeoutMs + " ms; given back to YARN")) {
                releasable--;
                if (!dynamic.enabled()) {
                    idleGivenBack++;
                }
                LOG.info(
                        "executor {} idle for {} ms with no task waiting: container given back ({} executors left)",
                        exec,
                        idleTimeoutMs,
                        registry.liveCount());
            }
        }
    }

    /** Dynamic allocation: asks for more executors while tasks keep waiting for a core ({@link DynamicAllocation}). */
    private void requestForBacklog() {
        if (!dynamic.enabled() || stopping || matcher == null) {
            return;
        }
        int waiting = driver.pendingTasks().snapshot().pendingTasks();
        int running = 0;
        for (PreemptionPlanner.Load l : registry.loads()) {
            running += l.runningTasks();
        }
        int executors = registry.liveCount() + matcher.pendingRequests();
        int more = dynamic.toRequest(Ticker.SYSTEM.nanoTime(), waiting, running, cores, executors);
        if (more > 0) {
            LOG.info(
                    "{} tasks wait for a core ({} running): asking for {} more executors ({} live or asked for, at most"
                            + " {})",
                    waiting,
                    running,
                    more,
                    executors,
                    dynamic.settings().max());
            for (int i = 0; i < more && registry.mayRequest(); i++) {
                requestReplacement();
            }
        }
    }

    /**
     * Reports the executor lost (so its running tasks re-run elsewhere; its map output stays with the shuffle
     * service), asks it to exit and releases its container. False when it is no longer live.
     */
    private boolean giveBack(String exec, WeftError why, String reason) {
        ContainerId container = registry.containerOf(exec);
        String node = registry.node(exec);
        ExecutorRegistry.Lost lost = container == null || node == null ? null : registry.giveBack(exec, why, reason);
        if (lost == null) {
            return false;
        }
        listener.executorLost(new ExecutorId(exec), lost.error(), lost.reason(), registry.outputLostWith(exec));
        try {
            endpoint.shutdownExecutor(exec);
        } catch (RuntimeException e) {
            LOG.debug("cannot ask executor {} to shut down: {}", exec, e.toString());
        }
        executors.releaseContainer(container);
        releasing.put(container, node);
        return true;
    }

    /**
     * Uber mode: until a job needs executor containers, small jobs run inside the driver ({@link UberPolicy}); the
     * first job that does not fit asks for the containers, and from then on every job runs in them (the executor in
     * the driver is retired, so a large job never runs tasks in the driver's container).
     */
    @Override
    public synchronized void jobSubmitted(JobShape job) {
        if (stopping) {
            return;
        }
        if (containersWanted.getCount() > 0) {
            String refusal = uber.refusal(job);
            if (refusal == null) {
                if (driverExecutor == null) {
                    driverExecutor = DriverExecutor.start(
                            driver, AmRuntime.get().host, conf.get(YarnConfigKeys.DRIVER_CORES), listener);
                }
                LOG.info(
                        "job {} runs inside the driver (uber mode): {} stages, {} tasks, {} input bytes",
                        job.jobId(),
                        job.stages(),
                        job.tasks(),
                        job.inputBytes());
                return;
            }
            LOG.info(
                    "job {} runs in executor containers: {}; asking for {} executors", job.jobId(), refusal, instances);
            containersWanted.countDown();
        }
        if (driverExecutor != null && !driverExecutorRetired) {
            driverExecutorRetired = true;
            listener.executorLost(
                    new ExecutorId(DriverExecutor.ID),
                    WeftError.EXECUTOR_LOST,
                    "retired: job " + job.jobId() + " runs in executor containers, and so do all later jobs",
                    true);
        }
    }

    private synchronized DriverExecutor driverExecutor() {
        return driverExecutor;
    }

    @Override
    public void launch(ExecutorId executorId, TaskDescription task) {
        timeline.mark(StartupTimeline.Phase.FIRST_TASK_LAUNCHED);
        if (executorId.value().equals(DriverExecutor.ID)) {
            driverExecutor().launch(task);
            return;
        }
        registry.taskLaunched(task.taskId(), executorId.value());
        endpoint.launchTask(executorId.value(), task);
    }

    @Override
    public void kill(TaskAttemptId taskId, String reason) {
        DriverExecutor inDriver = driverExecutor();
        if (inDriver != null) {
            inDriver.kill(taskId, reason);
        }
        String exec = registry.executorOfTask(taskId.value());
        if (exec != null) {
            endpoint.killTask(exec, taskId.value(), reason);
        }
    }

    @Override
    public dev.weft.shuffle.BlockLocation servingLocation(dev.weft.shuffle.BlockLocation reported) {
        Integer port = registry.shuffleServicePort(reported.executorId());
        if (port == null) {
            return reported;
        }
        // Named explicitly, so that a driver restarted from the journal still finds it under that application.
        ContainerId container = registry.containerOf(reported.executorId());
        String owner = container == null
                ? ""
                : container.getApplicationAttemptId().getApplicationId().toString();
        return new dev.weft.shuffle.BlockLocation(reported.executorId(), reported.host(), port, owner);
    }

    @Override
    public int defaultParallelism() {
        return instances * cores;
    }

    /**
     * Racks as the ResourceManager sees them ({@link RackResolver}: {@code net.topology.node.switch.mapping.impl}
     * or {@code net.topology.script.file.name}), cached per host because the scheduler thread asks for every
     * preferred host of every task set and a topology script forks a process per unknown host. Thread-safe.
     */
    @Override
    public HostTopology hostTopology() {
        AmRuntime rt = AmRuntime.getIfPresent();
        RackResolver.init(rt != null ? rt.conf : driver.hadoopConf());
        Map<String, String> racks = new ConcurrentHashMap<>();
        return host -> racks.computeIfAbsent(host, h -> RackResolver.resolve(h).getNetworkLocation());
    }

    @Override
    public void removeCachedDataset(int nodeId) {
        toEveryExecutor(e -> e.removeDataset(nodeId), inDriver -> inDriver.removeDataset(nodeId));
    }

    @Override
    public void removeShuffle(int shuffleId) {
        toEveryExecutor(e -> e.removeShuffle(shuffleId), inDriver -> inDriver.removeShuffle(shuffleId));
    }

    /** Sends one request to the executors in containers (through the endpoint) and to the one in the driver, if any. */
    private void toEveryExecutor(
            java.util.function.Consumer<DriverEndpoint> remote, java.util.function.Consumer<DriverExecutor> local) {
        DriverEndpoint e = endpoint;
        if (e != null) {
            remote.accept(e);
        }
        DriverExecutor inDriver;
        synchronized (this) {
            inDriver = driverExecutor;
        }
        if (inDriver != null) {
            local.accept(inDriver);
        }
    }

    @Override
    public void stop() {
        ExecutorApplication app;
        DriverExecutor inDriver;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            app = executors;
            inDriver = driverExecutor;
        }
        if (preemptedGivenBack.get() + preemptedKilled.get() > 0) {
            LOG.info(
                    "preemption: {} executors given back on the ResourceManager's request, {} taken by it",
                    preemptedGivenBack.get(),
                    preemptedKilled.get());
        }
        if (allocator != null) {
            allocator.interrupt();
        }
        if (inDriver != null) {
            inDriver.stop();
        }
        for (String exec : registry.liveExecutors()) {
            try {
                endpoint.shutdownExecutor(exec);
            } catch (RuntimeException e) {
                LOG.debug("cannot ask executor {} to shut down: {}", exec, e.toString());
            }
        }
        if (app != null) {
            app.finish(FinalApplicationStatus.SUCCEEDED, "driver finished");
            app.close();
        }
        if (yarn != null) {
            yarn.stop();
        }
        if (journal != null) {
            journal.close();
        }
        if (earlier != null) {
            earlier.close();
        }
        if (restartYarn != null) {
            restartYarn.stop();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (gate != null) {
            gate.close();
        }
        launcherPool.shutdownNow();
    }

    /** Relays endpoint callbacks (Netty threads) to the scheduler's listener, which only enqueues. */
    private final class EndpointHandler implements DriverEndpoint.Handler {
        @Override
        public String refusal(String executorId, String containerId) {
            // The registry learns each executor id with its container before the container is started.
            org.apache.hadoop.yarn.api.records.ContainerId launched = registry.containerOf(executorId);
            if (launched == null) {
                return "names executor id '" + executorId + "', which this driver never launched (or which ended)";
            }
            if (!launched.toString().equals(containerId)) {
                return "names container '" + containerId + "' for executor " + executorId + ", which was launched in "
                        + launched;
            }
            return null;
        }

        @Override
        public void executorRegistered(ExecutorId executor, String host, int executorCores, String containerId) {
            String executorId = executor.value();
            // Executors report NM_HOST, which the NodeManager sets to its NodeId host; the container's NodeId
            // is the authority (it is the name container requests and the RM use), so prefer it should the
            // two ever differ, and say so: tasks would otherwise never find their data local.
            String nodeHost = registry.nodeHost(executorId);
            if (nodeHost != null && !nodeHost.equals(host)) {
                LOG.warn(
                        "executor {} reported host {} but runs on node {}; using the node's",
                        executorId,
                        host,
                        nodeHost);
            }
            String h = nodeHost != null ? nodeHost : host;
            timeline.mark(StartupTimeline.Phase.FIRST_EXECUTOR_REGISTERED);
            gate.register(() -> listener.executorAdded(executor, h, executorCores));
        }

        @Override
        public void executorLost(ExecutorId executorId, String reason) {
            String exec = executorId.value();
            if (stopping || registry.wasGivenBack(exec)) {
                return; // a given-back executor was reported when it was given back
            }
            // The connection usually closes before the RM reports the container: a marked one was preempted.
            if (registry.preemptionRequested(exec)) {
                listener.executorLost(executorId, WeftError.EXECUTOR_PREEMPTED, reason, registry.outputLostWith(exec));
            } else if (registry.containerOf(exec) != null) {
                // Wait for YARN's exit status, which says why (see EXIT_STATUS_WAIT_MS).
                LOG.info(
                        "executor {} disconnected ({}); waiting up to {} ms for YARN's report of its container",
                        exec,
                        reason,
                        EXIT_STATUS_WAIT_MS);
                awaitingExitStatus.put(
                        exec, new Disconnected(reason, System.nanoTime() + EXIT_STATUS_WAIT_MS * 1_000_000L));
                listener.executorDisconnected(executorId, reason);
            } else {
                listener.executorLost(executorId, WeftError.EXECUTOR_LOST, reason, registry.outputLostWith(exec));
            }
        }

        @Override
        public void taskEnded(ExecutorId executorId, TaskAttemptId taskId, TaskOutcome outcome) {
            registry.taskEnded(taskId.value());
            listener.taskEnded(taskId, outcome);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
