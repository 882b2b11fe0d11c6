package dev.weft.yarn;

import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import dev.weft.executor.driver.DriverEndpoint;
import dev.weft.executor.driver.DriverServices;
import dev.weft.executor.rpc.AuthSecret;
import dev.weft.scheduler.DriverContext;
import dev.weft.scheduler.HostTopology;
import dev.weft.scheduler.PendingTaskLocality;
import dev.weft.scheduler.SchedulerBackend;
import dev.weft.shuffle.MapStatus;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.yarn.api.protocolrecords.AllocateResponse;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.ContainerStatus;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.util.RackResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks in executor containers: asks the ResourceManager (through the {@link ExecutorApplication}
 * in the executor queue) for {@code weft.executor.instances} containers, starts an executor JVM in each,
 * and relays tasks and outcomes over the authenticated driver endpoint. Lost containers are classified
 * (preempted / killed / out of memory / failed), reported so their tasks re-run, and replaced.
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
    private static final int MAX_EXECUTOR_FAILURES_FACTOR = 3;
    /**
     * How long the allocator waits for the program's first tasks before it asks for executors without
     * knowing where the data is. Short: a program that computes on the driver first only starts that much
     * later, while asking blind would place the first stage's executors at random.
     */
    private static final long FIRST_TASKS_WAIT_MS = 3_000;

    private final DriverContext driver;
    private final WeftConf conf;
    private final int instances;
    private final int cores;
    private final long executorHeap;
    private final Map<ContainerId, String> executorOfContainer = new ConcurrentHashMap<>();
    private final Map<String, ContainerId> containerOfExecutor = new ConcurrentHashMap<>();
    private final Map<Long, String> executorOfTask = new ConcurrentHashMap<>();
    /** NodeManager host of each executor's container ({@code NodeId} host): the name it registers under. */
    private final Map<String, String> hostOfExecutor = new ConcurrentHashMap<>();
    /** Port of the NodeManager shuffle service on each executor's node, from the container start response. */
    private final Map<String, Integer> shuffleServicePort = new ConcurrentHashMap<>();

    private final AtomicInteger nextExecutor = new AtomicInteger(1);
    private final ExecutorService launcher = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "weft-container-launcher");
        t.setDaemon(true);
        return t;
    });
    private volatile Listener listener;
    private volatile RegistrationGate gate;
    private volatile DriverEndpoint endpoint;
    private volatile ExecutorApplication executors;
    private volatile boolean stopping;
    private Thread allocator;
    /** Requests added and not yet matched by an allocated container; guarded by {@code this}. */
    private final List<ContainerRequest> outstanding = new ArrayList<>();

    private final Map<ContainerRequest, Long> strictSince = new java.util.IdentityHashMap<>();
    private static final Priority RELAXED = Priority.newInstance(1);
    private static final Priority STRICT = Priority.newInstance(2);
    private static final long STRICT_PLACEMENT_MS = 10_000;
    private int pendingRequests;
    private int failures;
    private Resource capability;

    YarnBackend(DriverContext driver) {
        this.driver = driver;
        this.conf = driver.conf();
        this.instances = conf.get(YarnConfigKeys.EXECUTOR_INSTANCES);
        this.cores = conf.get(YarnConfigKeys.EXECUTOR_CORES);
        this.executorHeap = conf.get(YarnConfigKeys.EXECUTOR_MEMORY);
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        this.gate = new RegistrationGate(
                (int) Math.ceil(instances * conf.get(YarnConfigKeys.MIN_REGISTERED_RATIO)),
                conf.get(YarnConfigKeys.MAX_REGISTERED_WAIT));
        AmRuntime rt = AmRuntime.get();
        driver.events().add(rt.statusPage);
        AuthSecret secret = secret();
        try {
            endpoint = new DriverEndpoint(rt.host, 0, secret, new EndpointHandler(), new DriverServices() {
                @Override
                public MapStatus[] mapStatuses(int shuffleId) {
                    try {
                        return driver.mapOutputs().statuses(shuffleId);
                    } catch (IllegalStateException unknownShuffle) {
                        return null;
                    }
                }

                @Override
                public byte[] broadcast(long id) {
                    return driver.broadcasts().get(id);
                }
            });
            String driverQueue = conf.get(YarnConfigKeys.DRIVER_QUEUE);
            String executorQueue = conf.get(YarnConfigKeys.EXECUTOR_QUEUE);
            if (driverQueue.equals(executorQueue)) {
                executors = new SameApplicationExecutors(rt);
            } else {
                UnmanagedExecutorApplication uam = UnmanagedExecutorApplication.start(
                        rt.conf,
                        executorQueue,
                        conf.get(RuntimeConfigKeys.APP_NAME),
                        rt.appId.toString(),
                        YarnConfigKeys.executorAppLeaseSeconds(conf),
                        "http://" + rt.host + ":" + rt.statusPage.port() + "/");
                executors = uam;
                DriverMain.onAbnormalShutdown(uam::kill);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start executors: " + e.getMessage(), e);
        }
        allocator = new Thread(() -> allocateLoop(rt), "weft-allocator");
        allocator.setDaemon(true);
        allocator.start();
        LOG.info(
                "yarn backend: {} executors x {} cores, {} MiB heap, executor application {}",
                instances,
                cores,
                executorHeap >> 20,
                executors.applicationId());
    }

    /** The application's secret, chosen by the client; a driver started some other way makes its own. */
    private static AuthSecret secret() {
        String env = System.getenv(SECRET_ENV);
        return env != null && !env.isEmpty() ? AuthSecret.fromBase64(env) : FALLBACK_SECRET;
    }

    private static final AuthSecret FALLBACK_SECRET = AuthSecret.random();

    private void allocateLoop(AmRuntime rt) {
        PendingTaskLocality.Snapshot first;
        try {
            first = awaitFirstTasks();
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            capability = Resource.newInstance(ContainerSpecs.containerMiB(executorHeap), cores);
            List<String> hosts = requestHosts(first.tasksByHost(), instances, cores);
            LOG.info(
                    "requesting {} executors near the data of {} pending tasks ({} with preferred hosts): {}",
                    instances,
                    first.pendingTasks(),
                    first.localityAwareTasks(),
                    hosts);
            for (String host : hosts) {
                request(host);
            }
        }
        while (!stopping) {
            try {
                AllocateResponse resp = executors.allocate(rt.statusPage.progress());
                for (Container c : resp.getAllocatedContainers()) {
                    onAllocated(c);
                }
                for (ContainerStatus s : resp.getCompletedContainersStatuses()) {
                    onCompleted(s);
                }
                relaxStaleRequests();
                Thread.sleep(executorOfContainer.size() < instances ? 200 : 1000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!stopping) {
                    LOG.warn("allocate call for executors failed: {}", e.toString());
                    sleepQuietly(1000);
                }
            }
        }
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

    /**
     * Which host each of {@code requests} container requests should name: the hosts with the most pending
     * tasks, greedily, one executor at a time, each executor taking {@code coresPerExecutor} of its host's
     * tasks; null (no preference) for requests left once every host's tasks are covered. Ties go to the
     * host name, so the plan is deterministic.
     */
    static List<String> requestHosts(Map<String, Integer> tasksByHost, int requests, int coresPerExecutor) {
        record Demand(String host, int tasks) {}
        PriorityQueue<Demand> byDemand = new PriorityQueue<>(
                Comparator.comparingInt(Demand::tasks).reversed().thenComparing(Demand::host));
        tasksByHost.forEach((h, n) -> {
            if (n > 0) {
                byDemand.add(new Demand(h, n));
            }
        });
        List<String> hosts = new ArrayList<>(requests);
        while (hosts.size() < requests) {
            Demand d = byDemand.poll();
            hosts.add(d == null ? null : d.host());
            if (d != null && d.tasks() > coresPerExecutor) {
                byDemand.add(new Demand(d.host(), d.tasks() - coresPerExecutor));
            }
        }
        return hosts;
    }

    /** Adds one request for an executor on {@code host} (any host when null); caller holds {@code this}. */
    private void request(String host) {
        // A named node is asked for strictly at first: on small clusters the CapacityScheduler relaxes a
        // relaxed request after min(node-locality-delay, #nodes) missed opportunities, i.e. almost at once,
        // and two executors end up on one node while another node's data has none. A strict request that
        // is still unfilled after STRICT_PLACEMENT_MS is replaced by a relaxed one (see relaxStaleRequests).
        // Strict and relaxed requests use different priorities, as the AMRM client requires.
        ContainerRequest r = host == null
                ? new ContainerRequest(capability, null, null, RELAXED, true)
                : new ContainerRequest(capability, new String[] {host}, null, STRICT, false);
        executors.addContainerRequest(r);
        outstanding.add(r);
        if (host != null) {
            strictSince.put(r, System.nanoTime());
        }
        pendingRequests++;
    }

    /** Turns strict requests nobody filled in time into relaxed ones, so executors still start. */
    private synchronized void relaxStaleRequests() {
        long now = System.nanoTime();
        for (ContainerRequest r : new ArrayList<>(strictSince.keySet())) {
            if (now - strictSince.get(r) > STRICT_PLACEMENT_MS * 1_000_000L) {
                strictSince.remove(r);
                if (outstanding.remove(r)) {
                    executors.removeContainerRequest(r);
                    pendingRequests--;
                    LOG.info(
                            "no container on {} within {} ms; asking for one anywhere",
                            r.getNodes(),
                            STRICT_PLACEMENT_MS);
                    request(null);
                }
            }
        }
    }

    private synchronized void onAllocated(Container c) {
        if (stopping || pendingRequests == 0) {
            executors.releaseContainer(c.getId());
            return;
        }
        pendingRequests--;
        // Drop the request this container satisfies so the RM does not hand out extra containers later.
        ContainerRequest matched = takeRequestFor(c.getNodeId().getHost());
        if (matched != null) {
            executors.removeContainerRequest(matched);
        }
        String execId = "exec-" + nextExecutor.getAndIncrement();
        executorOfContainer.put(c.getId(), execId);
        containerOfExecutor.put(execId, c.getId());
        hostOfExecutor.put(execId, c.getNodeId().getHost());
        launcher.execute(() -> launch(c, execId));
    }

    /**
     * The outstanding request a container on {@code host} satisfies: one naming that host, else one naming
     * no host, else (the RM relaxed a request for another host) the oldest. Caller holds {@code this}.
     */
    private ContainerRequest takeRequestFor(String host) {
        ContainerRequest chosen = null;
        for (ContainerRequest r : outstanding) {
            List<String> nodes = r.getNodes();
            if (nodes != null && nodes.contains(host)) {
                chosen = r;
                break;
            }
            if ((nodes == null || nodes.isEmpty()) && chosen == null) {
                chosen = r;
            }
        }
        if (chosen == null && !outstanding.isEmpty()) {
            chosen = outstanding.get(0);
        }
        if (chosen != null) {
            outstanding.remove(chosen);
            strictSince.remove(chosen);
        }
        return chosen;
    }

    private void launch(Container c, String execId) {
        try {
            AmRuntime rt = AmRuntime.get();
            boolean service = ShuffleServiceData.configured(rt.conf);
            ContainerLaunchContext clc = ContainerLaunchContext.newInstance(
                    ContainerSpecs.localResources(rt.conf, rt.staging.resources()),
                    executorEnv(rt),
                    ContainerSpecs.javaCommand(
                            executorHeap >> 20, "dev.weft.executor.ExecutorMain", executorArgs(execId)),
                    service ? ShuffleServiceData.forContainer(secret().bytes()) : null,
                    null,
                    null);
            Map<String, java.nio.ByteBuffer> meta = executors.startContainer(c, clc);
            int port = service ? ShuffleServiceData.port(meta) : -1;
            if (port > 0) {
                shuffleServicePort.put(execId, port);
            }
            LOG.info(
                    "started executor {} in container {} on {}{}",
                    execId,
                    c.getId(),
                    c.getNodeId(),
                    port > 0 ? " (its map output is served by the node's shuffle service on port " + port + ")" : "");
        } catch (Exception e) {
            LOG.error("cannot start executor {} in container {}: {}", execId, c.getId(), e.toString());
            executors.releaseContainer(c.getId());
        }
    }

    private Map<String, String> executorEnv(AmRuntime rt) {
        Map<String, String> env = new HashMap<>();
        env.put("CLASSPATH", ContainerSpecs.classpath(rt.conf));
        env.put(SECRET_ENV, secret().toBase64());
        env.put("WEFT_ROLE", "executor");
        return env;
    }

    private List<String> executorArgs(String execId) {
        long budget = conf.get(RuntimeConfigKeys.MEMORY_BUDGET, (long) (executorHeap * 0.3));
        List<String> a = new ArrayList<>();
        a.add("--driver");
        a.add(endpoint.address().getHostString() + ":" + endpoint.address().getPort());
        a.add("--executor-id");
        a.add(execId);
        a.add("--cores");
        a.add(Integer.toString(cores));
        a.add("--memory-budget");
        a.add(Long.toString(budget));
        a.add("--app-id");
        a.add(executors.applicationId().toString());
        return a;
    }

    private void onCompleted(ContainerStatus s) {
        String execId = executorOfContainer.remove(s.getContainerId());
        if (execId == null) {
            return;
        }
        containerOfExecutor.remove(execId);
        hostOfExecutor.remove(execId);
        String why = ExitStatuses.describe(s);
        if (stopping) {
            return;
        }
        LOG.warn("executor {} lost: {}", execId, why);
        listener.executorLost(execId, why, !shuffleServicePort.containsKey(execId));
        synchronized (this) {
            failures++;
            if (failures > instances * MAX_EXECUTOR_FAILURES_FACTOR) {
                LOG.error("{} executor failures; not requesting more", failures);
                return;
            }
            // The replacement goes where the tasks waiting now would like it, which may not be the lost node.
            request(requestHosts(driver.pendingTasks().pendingTasksByHost(), 1, cores)
                    .get(0));
        }
    }

    @Override
    public void launch(String executorId, TaskDescription task) {
        executorOfTask.put(task.taskId(), executorId);
        endpoint.launchTask(executorId, task);
    }

    @Override
    public void kill(long taskId, String reason) {
        String exec = executorOfTask.get(taskId);
        if (exec != null) {
            endpoint.killTask(exec, taskId, reason);
        }
    }

    @Override
    public dev.weft.shuffle.BlockLocation servingLocation(dev.weft.shuffle.BlockLocation reported) {
        Integer port = shuffleServicePort.get(reported.executorId());
        return port == null
                ? reported
                : new dev.weft.shuffle.BlockLocation(reported.executorId(), reported.host(), port);
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
        LOG.debug("cached partitions of dataset {} stay on executors until they exit", nodeId);
    }

    @Override
    public void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (allocator != null) {
            allocator.interrupt();
        }
        for (String exec : new ArrayList<>(containerOfExecutor.keySet())) {
            try {
                endpoint.shutdownExecutor(exec);
            } catch (RuntimeException e) {
                LOG.debug("cannot ask executor {} to shut down: {}", exec, e.toString());
            }
        }
        if (executors != null) {
            executors.finish(FinalApplicationStatus.SUCCEEDED, "driver finished");
            executors.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (gate != null) {
            gate.close();
        }
        launcher.shutdownNow();
    }

    /** Relays endpoint callbacks (Netty threads) to the scheduler's listener, which only enqueues. */
    private final class EndpointHandler implements DriverEndpoint.Handler {
        @Override
        public void executorRegistered(String executorId, String host, int executorCores, String containerId) {
            // Executors report NM_HOST, which the NodeManager sets to its NodeId host; the container's NodeId
            // is the authority (it is the name container requests and the RM use), so prefer it should the
            // two ever differ, and say so: tasks would otherwise never find their data local.
            String nodeHost = hostOfExecutor.get(executorId);
            if (nodeHost != null && !nodeHost.equals(host)) {
                LOG.warn(
                        "executor {} reported host {} but runs on node {}; using the node's",
                        executorId,
                        host,
                        nodeHost);
            }
            String h = nodeHost != null ? nodeHost : host;
            gate.register(() -> listener.executorAdded(executorId, h, executorCores));
        }

        @Override
        public void executorLost(String executorId, String reason) {
            if (!stopping) {
                listener.executorLost(executorId, reason, !shuffleServicePort.containsKey(executorId));
            }
        }

        @Override
        public void taskEnded(String executorId, long taskId, TaskOutcome outcome) {
            executorOfTask.remove(taskId);
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
