package dev.weft.testkit;

import dev.weft.conf.HadoopConfigurations;
import dev.weft.yarn.queues.CapacitySchedulerLayouts;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.net.NetUtils;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler;
import org.slf4j.LoggerFactory;

/**
 * An in-process Hadoop cluster for the demo and the tests: a MiniDFSCluster and a
 * MiniYARNCluster with a CapacityScheduler that has the {@code drivers} and {@code executors} queues.
 * Containers run real JVMs whose classpath is a generated configuration directory (so they find the
 * cluster) followed by this JVM's classpath. Start one per test class; it takes 20-40 s on 2 cores.
 * {@link WeftCluster} starts and stops one for a JUnit 5 test class, or one for a whole suite.
 *
 * <p>{@link #start} puts every DataNode and NodeManager on one host name, which is enough for everything but
 * data locality; {@link #startMultiHost} gives each host its own loopback address (YARN-NOTES 3.2).
 *
 * <p>Threading: start and close from one thread; the accessors are safe from any thread.
 */
public final class EmbeddedCluster implements AutoCloseable {
    /** Local dirs per NodeManager: more than one, so the tests cover map outputs spread over disks. */
    static final int LOCAL_DIRS_PER_NODE_MANAGER = 2;

    /** The first address {@link #startMultiHost} hands out; 127.0.0.1 stays the NameNode's and the RM's. */
    private static final int FIRST_HOST_OCTET = 2;

    private final MiniDFSCluster dfs;
    private final MiniYARNCluster yarn;
    /** NodeManagers MiniYARN runs itself ({@link #start}); 0 when ours run in {@link #nodeManagers}. */
    private final int miniNodeManagers;

    private final List<NodeManager> nodeManagers;
    private final List<String> hosts;
    private final Configuration conf;
    private final Path confDir;

    private EmbeddedCluster(
            MiniDFSCluster dfs,
            MiniYARNCluster yarn,
            int miniNodeManagers,
            List<NodeManager> nodeManagers,
            List<String> hosts,
            Configuration conf,
            Path confDir) {
        this.dfs = dfs;
        this.yarn = yarn;
        this.miniNodeManagers = miniNodeManagers;
        // Copy-on-write, not immutable: restartNodeManager replaces one.
        this.nodeManagers = new java.util.concurrent.CopyOnWriteArrayList<>(nodeManagers);
        this.hosts = List.copyOf(hosts);
        this.conf = conf;
        this.confDir = confDir;
    }

    /**
     * @param baseDir     working directory (data, logs, generated configuration)
     * @param extraConf   more YARN settings (e.g. the shuffle aux service)
     */
    public static EmbeddedCluster start(Path baseDir, int nodeManagers, int dataNodes, Map<String, String> extraConf)
            throws IOException {
        return start(baseDir, "weft", nodeManagers, dataNodes, extraConf);
    }

    /**
     * Like {@link #start(Path, int, int, Map)}, with the MiniYARNCluster named {@code name}. MiniYARN keeps its
     * NodeManagers' local and log directories under a test directory named after the cluster, relative to the
     * working directory, and empties it when a cluster of that name is created: clusters that run at the same
     * time in one working directory need distinct names.
     */
    public static EmbeddedCluster start(
            Path baseDir, String name, int nodeManagers, int dataNodes, Map<String, String> extraConf)
            throws IOException {
        return start(baseDir, name, nodeManagers, dataNodes, extraConf, "");
    }

    /**
     * Like {@link #start(Path, String, int, int, Map)}, with every DataNode registered under {@code dataNodeHostName}
     * ({@code dfs.datanode.hostname}; empty: their address), the host HDFS then names for every block. Clients still
     * reach DataNodes by address, so the name need not resolve.
     */
    public static EmbeddedCluster start(
            Path baseDir,
            String name,
            int nodeManagers,
            int dataNodes,
            Map<String, String> extraConf,
            String dataNodeHostName)
            throws IOException {
        Files.createDirectories(baseDir);
        Path confDir = baseDir.resolve("conf");
        Files.createDirectories(confDir);
        int replication = Math.min(2, dataNodes);

        Configuration hdfsConf = HadoopConfigurations.create();
        hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.resolve("dfs").toString());
        hdfsConf.setInt("dfs.replication", replication);
        if (!dataNodeHostName.isEmpty()) {
            // Clients connect by the address the NameNode saw, not the advertised name. Said explicitly: a
            // startMultiHost cluster earlier in this JVM made the opposite a default resource, JVM-wide.
            hdfsConf.setBoolean("dfs.client.use.datanode.hostname", false);
            // The NodeManagers' in-process localizers see only default resources, so they may still dial the
            // name: make it reach the DataNodes' address, in this JVM only (containers get the setting above).
            NetUtils.addStaticResolution(dataNodeHostName, "127.0.0.1");
        }
        MiniDFSCluster dfs;
        if (dataNodeHostName.isEmpty()) {
            dfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(dataNodes).build();
        } else {
            // Not Builder.hosts(): it also maps the name to "localhost" in Hadoop's static resolution, JVM-wide.
            dfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(0).build();
            // MiniDFS caps dfs.replication at the DataNodes it started (0) in its conf and the NameNode's: restore.
            hdfsConf.setInt("dfs.replication", replication);
            dfs.getConfiguration(0).setInt("dfs.replication", replication);
            Configuration dn = new Configuration(hdfsConf);
            dn.set("dfs.datanode.hostname", dataNodeHostName);
            // checkDataNodeHostConfig: keep the host name set above instead of MiniDFS's 127.0.0.1. Clients still
            // connect by the address the NameNode saw (dfs.client.use.datanode.hostname stays false).
            dfs.startDataNodes(
                    dn, dataNodes, null, true, null, null, null, null, null, false, false, true, null, null, null);
        }
        dfs.waitActive();

        // Two local dirs per NodeManager, as production nodes have several disks: executors spread map outputs over
        // them and the shuffle service must find each output in whichever one holds it.
        MiniYARNCluster yarn =
                startYarn(() -> new MiniYARNCluster(name, 1, nodeManagers, LOCAL_DIRS_PER_NODE_MANAGER, 1), () -> {
                    YarnConfiguration yc = yarnConf(baseDir, confDir, dfs, replication, extraConf);
                    if (!dataNodeHostName.isEmpty()) {
                        yc.setBoolean("dfs.client.use.datanode.hostname", false);
                    }
                    return yc;
                });
        try {
            yarn.waitForNodeManagersToConnect(60_000);
        } catch (Exception e) {
            throw new IOException("NodeManagers did not register: " + e, e);
        }
        return finish(dfs, yarn, nodeManagers, List.of(), List.of(), confDir);
    }

    /**
     * A cluster whose hosts have distinct names, for data locality: host {@code i} is the loopback address
     * {@code 127.0.0.(i+2)} and runs one DataNode and one NodeManager bound to it, so HDFS block locations,
     * NodeManager {@code NodeId}s and executor hosts all name the same {@code 127.0.0.x} (YARN-NOTES 3.2;
     * Linux routes all of 127/8 to loopback). Replication is 1, so every block lives on exactly one host,
     * and blocks are 1 MiB, so a file of a few MiB spans several hosts. The ResourceManager runs no
     * NodeManagers of its own; ours register with it over RPC like real ones.
     *
     * @param hosts     number of hosts (DataNode + NodeManager pairs), at least 1
     * @param extraConf more YARN settings (e.g. the shuffle aux service)
     */
    public static EmbeddedCluster startMultiHost(Path baseDir, int hosts, Map<String, String> extraConf)
            throws IOException {
        return startMultiHost(baseDir, "weft-multihost", hosts, extraConf);
    }

    /** {@link #startMultiHost(Path, int, Map)} with the MiniYARNCluster named {@code name} (see {@link #start}). */
    public static EmbeddedCluster startMultiHost(Path baseDir, String name, int hosts, Map<String, String> extraConf)
            throws IOException {
        if (hosts < 1 || hosts > 250) {
            throw new IllegalArgumentException("hosts must be in [1, 250]: " + hosts);
        }
        Files.createDirectories(baseDir);
        Path confDir = baseDir.resolve("conf");
        Files.createDirectories(confDir);
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            ips.add("127.0.0." + (FIRST_HOST_OCTET + i));
        }

        // JVM-wide on purpose: the NodeManagers' resource localizers read HDFS with a Configuration of their
        // own, which sees only default resources (see the file). Harmless for single-host clusters, whose
        // DataNodes advertise 127.0.0.1.
        // HdfsConfiguration first: it adds hdfs-default.xml when its class initializes, and a default resource
        // added later would override ours with dfs.client.use.datanode.hostname=false.
        HdfsConfiguration.init();
        Configuration.addDefaultResource(MULTI_HOST_DEFAULT_RESOURCE);
        Configuration hdfsConf = HadoopConfigurations.create();
        hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.resolve("dfs").toString());
        hdfsConf.setInt("dfs.replication", 1);
        hdfsConf.setLong("dfs.blocksize", MULTI_HOST_BLOCK_SIZE);
        // The NameNode records every DataNode as 127.0.0.1 (the address it sees): clients and DataNodes must
        // connect by the advertised host name instead, or they reach nobody ("connection refused").
        hdfsConf.setBoolean("dfs.client.use.datanode.hostname", true);
        hdfsConf.setBoolean("dfs.datanode.use.datanode.hostname", true);
        // Not Builder.hosts(): it maps each name to "localhost" statically, which later makes NodeManagers
        // bind 127.0.0.1 while advertising their own address.
        MiniDFSCluster dfs =
                new MiniDFSCluster.Builder(hdfsConf).numDataNodes(0).build();
        // MiniDFS caps dfs.replication at the DataNodes it started, 0 here, in its conf and the NameNode's,
        // which dfs.getFileSystem() then uses for every file it creates: restore 1.
        hdfsConf.setInt("dfs.replication", 1);
        dfs.getConfiguration(0).setInt("dfs.replication", 1);
        for (String ip : ips) {
            Configuration dn = new Configuration(hdfsConf);
            dn.set("dfs.datanode.hostname", ip);
            dn.set("dfs.datanode.address", ip + ":0");
            dn.set("dfs.datanode.http.address", ip + ":0");
            dn.set("dfs.datanode.ipc.address", ip + ":0");
            // checkDataNodeAddrConfig and checkDataNodeHostConfig: keep the addresses and host name set above
            // instead of MiniDFS's 127.0.0.1 defaults.
            dfs.startDataNodes(dn, 1, null, true, null, null, null, null, null, false, true, true, null, null, null);
        }
        dfs.waitActive();

        MiniYARNCluster yarn = startYarn(() -> new MiniYARNCluster(name, 1, 0, 1, 1), () -> {
            YarnConfiguration yc = yarnConf(baseDir, confDir, dfs, 1, extraConf);
            yc.setLong("dfs.blocksize", MULTI_HOST_BLOCK_SIZE);
            yc.setBoolean("dfs.client.use.datanode.hostname", true);
            return yc;
        });
        List<NodeManager> nms = new ArrayList<>();
        try {
            for (int i = 0; i < hosts; i++) {
                nms.add(startNodeManager(yarn.getConfig(), ips.get(i), baseDir.resolve("nm-" + i)));
            }
            awaitNodes(yarn, hosts);
        } catch (IOException | RuntimeException e) {
            nms.forEach(NodeManager::stop);
            yarn.stop();
            dfs.shutdown();
            throw e;
        }
        EmbeddedCluster cluster =
                finish(dfs, yarn, 0, new java.util.concurrent.CopyOnWriteArrayList<>(nms), ips, confDir);
        // Container JVMs load hdfs-default.xml after core-site.xml, so dfs.client.use.datanode.hostname only
        // sticks from an hdfs-site.xml, which is loaded after hdfs-default.xml.
        writeSite(cluster.conf, confDir.resolve("hdfs-site.xml"));
        return cluster;
    }

    /** Client settings every Configuration in a JVM running a {@link #startMultiHost} cluster needs. */
    private static final String MULTI_HOST_DEFAULT_RESOURCE = "weft-multihost-default.xml";

    /** Block size of {@link #startMultiHost} clusters: small, so test files span hosts. */
    public static final long MULTI_HOST_BLOCK_SIZE = 1 << 20;

    /**
     * A NodeManager bound to {@code ip}. Its {@code NodeId} host is the canonical name of that address, which
     * for 127.0.0.x without an /etc/hosts entry is the address itself, the same name its DataNode advertises.
     */
    private static NodeManager startNodeManager(Configuration rmConf, String ip, Path dir) throws IOException {
        YarnConfiguration c = new YarnConfiguration(rmConf);
        // Fixed ports and a supervised recovery store, as a production NodeManager runs: restartNodeManager then
        // brings it back with its containers still running, and the shuffle service on the port executors know.
        c.set(YarnConfiguration.NM_ADDRESS, ip + ":" + freePort(ip));
        c.setBoolean(YarnConfiguration.NM_RECOVERY_ENABLED, true);
        c.setBoolean(YarnConfiguration.NM_RECOVERY_SUPERVISED, true);
        c.set(
                YarnConfiguration.NM_RECOVERY_DIR,
                Files.createDirectories(dir.resolve("recovery")).toString());
        if ("0".equals(c.get(SHUFFLE_SERVICE_PORT))) {
            c.setInt(SHUFFLE_SERVICE_PORT, freePort("0.0.0.0"));
        }
        c.set(YarnConfiguration.NM_LOCALIZER_ADDRESS, ip + ":0");
        c.set(YarnConfiguration.NM_WEBAPP_ADDRESS, ip + ":0");
        c.set(
                YarnConfiguration.NM_LOCAL_DIRS,
                Files.createDirectories(dir.resolve("local")).toString());
        c.set(
                YarnConfiguration.NM_LOG_DIRS,
                Files.createDirectories(dir.resolve("logs")).toString());
        c.set(
                YarnConfiguration.NM_REMOTE_APP_LOG_DIR,
                dir.resolve("remote-logs").toString());
        c.setInt(YarnConfiguration.NM_PMEM_MB, 4096);
        // A full build disk must not mark the node unhealthy in the middle of a test.
        c.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
        NodeManager nm = new NodeManager();
        nm.init(c);
        nm.start();
        return nm;
    }

    /** The NodeManager shuffle service's port key ({@code ShuffleServiceConfigKeys}, not on this module's path). */
    private static final String SHUFFLE_SERVICE_PORT = "weft.shuffle.service.port";

    /**
     * A port nothing listens on at {@code ip} now. Another process may take it before the NodeManager binds it;
     * on a test machine that race is rare, and the start then fails naming the address.
     */
    private static int freePort(String ip) throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(ip, 0));
            return s.getLocalPort();
        }
    }

    /**
     * Restarts NodeManager {@code i} of a {@link #startMultiHost} cluster as an operator's rolling restart does:
     * the running one stops without killing its containers (supervised recovery), and a new one starts on the same
     * ports and directories, recovers its containers and applications from its state store, and reconnects to the
     * ResourceManager; the shuffle service comes back on its port with the applications' secrets it persisted.
     * Waits (up to 60 s) until the ResourceManager counts the node running again.
     *
     * @return the new NodeManager
     */
    public NodeManager restartNodeManager(int i) throws IOException {
        if (nodeManagers.isEmpty()) {
            throw new UnsupportedOperationException("MiniYARN's own NodeManagers listen on ephemeral ports and cannot"
                    + " recover: restart needs a cluster from startMultiHost (@WeftCluster(distinctHosts = true))");
        }
        NodeManager old = nodeManager(i);
        Configuration c = new YarnConfiguration(old.getConfig());
        old.stop();
        NodeManager fresh = new NodeManager();
        fresh.init(c);
        fresh.start();
        nodeManagers.set(i, fresh);
        // The old NodeManager did not unregister (it was to come back), so the node never left the scheduler's
        // count: wait for the new one's registration and for the ResourceManager to hold the node RUNNING.
        org.apache.hadoop.yarn.api.records.NodeId id = fresh.getNMContext().getNodeId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (fresh.getNMContext().getNodeStatusUpdater().getRMIdentifier()
                        == org.apache.hadoop.yarn.server.api.ResourceManagerConstants.RM_INVALID_IDENTIFIER
                || !isRunning(id)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("NodeManager " + i + " (" + id + ") did not register again within 60 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for NodeManager " + i, e);
            }
        }
        return fresh;
    }

    private boolean isRunning(org.apache.hadoop.yarn.api.records.NodeId id) {
        org.apache.hadoop.yarn.server.resourcemanager.rmnode.RMNode node =
                yarn.getResourceManager().getRMContext().getRMNodes().get(id);
        return node != null && node.getState() == org.apache.hadoop.yarn.api.records.NodeState.RUNNING;
    }

    /**
     * Stops NodeManager {@code i} for good, as a node that is shut down: its containers are killed (unlike {@link
     * #restartNodeManager}, which keeps them).
     */
    public void stopNodeManager(int i) {
        NodeManager nm = nodeManager(i);
        // With supervised recovery a stopping NodeManager leaves its containers for its successor; a decommissioned
        // one cleans them up.
        nm.getNMContext().setDecommissioned(true);
        nm.stop();
    }

    /** Polls the ResourceManager until {@code n} NodeManagers are RUNNING (registered and heartbeating). */
    private static void awaitNodes(MiniYARNCluster yarn, int n) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (yarn.getResourceManager().getResourceScheduler().getNumClusterNodes() < n) {
            if (System.nanoTime() > deadline) {
                throw new IOException(n + " NodeManagers did not register within 60 s; registered: "
                        + yarn.getResourceManager().getRMContext().getRMNodes().keySet());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for NodeManagers", e);
            }
        }
    }

    /** The YARN settings both layouts share; a fresh YarnConfiguration, not derived from the DFS conf (YARN-NOTES 3.1). */
    /** The host MiniYARN's ResourceManager runs on ({@code MiniYARNCluster.getHostname()}). */
    private static final String RM_HOST = "localhost";

    /** Builds a configuration; it may pick free ports, so each call may give different ones. */
    private interface ConfSupplier {
        YarnConfiguration get() throws IOException;
    }

    /**
     * Starts a MiniYARN cluster whose ResourceManager ports {@code conf} picks just before (see {@link #yarnConf}).
     * Between picking a free port and binding it another socket may take it (seen once in a few dozen starts:
     * "Problem binding to [localhost:36589] ... Address already in use"), so a start that fails to bind is stopped and
     * tried again with fresh ports, three times at most; any other failure is thrown at once.
     */
    private static MiniYARNCluster startYarn(java.util.function.Supplier<MiniYARNCluster> cluster, ConfSupplier conf)
            throws IOException {
        for (int attempt = 1; ; attempt++) {
            MiniYARNCluster yarn = cluster.get();
            try {
                yarn.init(conf.get());
                yarn.start();
                return yarn;
            } catch (RuntimeException e) {
                yarn.stop();
                if (attempt >= 3 || !causedByBind(e)) {
                    throw e;
                }
                LoggerFactory.getLogger(EmbeddedCluster.class)
                        .warn(
                                "MiniYARN could not bind a port it picked ({}); starting it again with new ports",
                                e.toString());
            }
        }
    }

    private static boolean causedByBind(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    private static YarnConfiguration yarnConf(
            Path baseDir, Path confDir, MiniDFSCluster dfs, int replication, Map<String, String> extraConf)
            throws IOException {
        YarnConfiguration yc = new YarnConfiguration(HadoopConfigurations.create());
        yc.set("fs.defaultFS", dfs.getURI().toString());
        yc.setInt("dfs.replication", replication);
        yc.set("hadoop.tmp.dir", baseDir.resolve("tmp").toString());
        yc.set(YarnConfiguration.RM_SCHEDULER, CapacityScheduler.class.getName());
        queues(yc);
        yc.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        yc.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
        yc.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", 4096);
        // As many vcores as a real node has, not fewer: the layout's DominantResourceCalculator measures a
        // queue's share by its dominant resource, and with 8 per node the drivers' 10 % is one vcore, so the
        // preemption policy counts a waiting driver as served once it is offered that one vcore and hands the
        // memory it waits for to the executors (seen in PreemptionTest: ideal <256 MiB, 2 vcores>).
        yc.setInt(YarnConfiguration.NM_VCORES, 32);
        yc.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        yc.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        yc.setLong("yarn.client.nodemanager-connect.max-wait-ms", 10_000);
        yc.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 20_000);
        yc.set(YarnConfiguration.YARN_APPLICATION_CLASSPATH, containerClasspath(confDir));
        // The ResourceManager's ports are picked before it starts, as a real cluster's are configured: the RM builds
        // every tracking link (its web proxy's /proxy/<app>/) from its configured web address, and MiniYARN's
        // ephemeral "localhost:0" would publish links to port 0. Its NodeManagers keep ephemeral ports either way.
        yc.setBoolean(YarnConfiguration.YARN_MINICLUSTER_FIXED_PORTS, true);
        for (String key : List.of(
                YarnConfiguration.RM_ADDRESS,
                YarnConfiguration.RM_ADMIN_ADDRESS,
                YarnConfiguration.RM_SCHEDULER_ADDRESS,
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS,
                YarnConfiguration.RM_WEBAPP_ADDRESS)) {
            yc.set(key, RM_HOST + ":" + freePort(RM_HOST));
        }
        extraConf.forEach(yc::set);
        return yc;
    }

    /** Writes the client configuration that containers and {@code -conf} read, and wraps up the cluster. */
    private static EmbeddedCluster finish(
            MiniDFSCluster dfs,
            MiniYARNCluster yarn,
            int miniNodeManagers,
            List<NodeManager> nms,
            List<String> hosts,
            Path confDir)
            throws IOException {
        Configuration clientConf = new YarnConfiguration(yarn.getConfig());
        clientConf.set("fs.defaultFS", dfs.getURI().toString());
        writeSite(clientConf, confDir.resolve("core-site.xml"));
        writeSite(clientConf, confDir.resolve("yarn-site.xml"));
        FileSystem.closeAll();
        return new EmbeddedCluster(dfs, yarn, miniNodeManagers, nms, hosts, clientConf, confDir);
    }

    /**
     * The shipped layout (capacity-scheduler-configs) with its preemption monitor on: drivers small, capped and
     * never preempted, executors large and preemptable. On these tiny nodes the default AM share of executors is
     * raised so several short-lived test apps can overlap.
     */
    private static void queues(Configuration c) {
        // Set, not addResource: a capacity-scheduler.xml elsewhere on the classpath (Hadoop's test jars ship
        // one) is added by the scheduler after our resource and would win; set values win over every file.
        Configuration layout = new Configuration(false);
        layout.addResource(CapacitySchedulerLayouts.resource(CapacitySchedulerLayouts.DEFAULT));
        // The preemption monitor, as an operator turns it on in the RM's yarn-site.xml: without it the drivers'
        // guarantee does not hold once executors have borrowed the drivers' idle share.
        layout.addResource(CapacitySchedulerLayouts.resource(CapacitySchedulerLayouts.PREEMPTION_SITE));
        for (Map.Entry<String, String> e : layout) {
            c.set(e.getKey(), e.getValue());
        }
        c.set("yarn.scheduler.capacity.root.executors.maximum-am-resource-percent", "1.0");
        c.set("yarn.scheduler.capacity.root.default.maximum-am-resource-percent", "1.0");
    }

    private static String containerClasspath(Path confDir) {
        List<String> entries = new ArrayList<>();
        entries.add(confDir.toAbsolutePath().toString());
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(e);
            }
        }
        return String.join(",", entries);
    }

    private static void writeSite(Configuration c, Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            c.writeXml(os);
        }
    }

    /** Client configuration: RM addresses and fs.defaultFS of this cluster. */
    public Configuration conf() {
        return new Configuration(conf);
    }

    /** Directory with core-site.xml and yarn-site.xml for this cluster ({@code -conf} files, containers). */
    public Path confDir() {
        return confDir;
    }

    public FileSystem fileSystem() throws IOException {
        return dfs.getFileSystem();
    }

    public MiniYARNCluster yarn() {
        return yarn;
    }

    public MiniDFSCluster dfs() {
        return dfs;
    }

    /**
     * The hosts' names as HDFS block locations and NodeManager ids spell them: the 127.0.0.x addresses of a
     * {@link #startMultiHost} cluster; empty for one from {@link #start}, whose nodes share one name.
     */
    public List<String> hosts() {
        return hosts;
    }

    /**
     * The container log directory of the NodeManager on {@code host} (one of {@link #hosts()}): one
     * subdirectory per application, one per container below it. Only for {@link #startMultiHost} clusters.
     */
    public Path nodeManagerLogDir(String host) {
        int i = hosts.indexOf(host);
        if (i < 0 || i >= nodeManagers.size()) {
            throw new IllegalArgumentException("no NodeManager of this cluster runs on " + host + "; hosts: " + hosts);
        }
        return Path.of(nodeManagers.get(i).getConfig().get(YarnConfiguration.NM_LOG_DIRS));
    }

    /** How many NodeManagers this cluster started (stopped ones included). */
    public int nodeManagerCount() {
        return nodeManagers.isEmpty() ? miniNodeManagers : nodeManagers.size();
    }

    /**
     * NodeManager {@code i} (0-based, in start order): one of MiniYARN's for a {@link #start} cluster, the one on
     * host {@code hosts().get(i)} for a {@link #startMultiHost} cluster.
     */
    public NodeManager nodeManager(int i) {
        if (i < 0 || i >= nodeManagerCount()) {
            throw new IllegalArgumentException("no NodeManager " + i + "; this cluster started " + nodeManagerCount());
        }
        return nodeManagers.isEmpty() ? yarn.getNodeManager(i) : nodeManagers.get(i);
    }

    /**
     * The container log directories of every NodeManager, NodeManager {@code i}'s first: below each, one
     * subdirectory per application and one per container below that ({@code stdout}, {@code stderr} and the
     * container's own log files).
     */
    public List<Path> nodeManagerLogDirs() {
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < nodeManagerCount(); i++) {
            for (String d : nodeManager(i).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
                dirs.add(Path.of(d));
            }
        }
        return dirs;
    }

    /** Generic options that point a program at this cluster: {@code -conf core-site.xml -conf yarn-site.xml}. */
    public List<String> genericOptions() {
        return List.of(
                "-conf",
                confDir.resolve("core-site.xml").toString(),
                "-conf",
                confDir.resolve("yarn-site.xml").toString());
    }

    @Override
    public void close() {
        // Our NodeManagers first: stopping the RM under them would make them retry registration for minutes.
        nodeManagers.forEach(NodeManager::stop);
        yarn.stop();
        dfs.shutdown();
    }
}
