package dev.weft.examples.cluster;

import dev.weft.yarn.queues.CapacitySchedulerLayouts;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An in-process Hadoop cluster for the demo and the integration tests: a MiniDFSCluster and a
 * MiniYARNCluster with a CapacityScheduler that has the {@code drivers} and {@code executors} queues.
 * Containers run real JVMs whose classpath is a generated configuration directory (so they find the
 * cluster) followed by this JVM's classpath. Start one per test class; it takes 20-40 s on 2 cores.
 */
public final class EmbeddedCluster implements AutoCloseable {
    private final MiniDFSCluster dfs;
    private final MiniYARNCluster yarn;
    private final Configuration conf;
    private final Path confDir;

    private EmbeddedCluster(MiniDFSCluster dfs, MiniYARNCluster yarn, Configuration conf, Path confDir) {
        this.dfs = dfs;
        this.yarn = yarn;
        this.conf = conf;
        this.confDir = confDir;
    }

    /**
     * @param baseDir     working directory (data, logs, generated configuration)
     * @param extraConf   more YARN settings (e.g. the shuffle aux service)
     */
    public static EmbeddedCluster start(Path baseDir, int nodeManagers, int dataNodes, Map<String, String> extraConf)
            throws IOException {
        Files.createDirectories(baseDir);
        Path confDir = baseDir.resolve("conf");
        Files.createDirectories(confDir);
        int replication = Math.min(2, dataNodes);

        Configuration hdfsConf = new Configuration();
        hdfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.resolve("dfs").toString());
        hdfsConf.setInt("dfs.replication", replication);
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(hdfsConf).numDataNodes(dataNodes).build();
        dfs.waitActive();

        // A fresh YarnConfiguration (not derived from the DFS conf; see YARN-NOTES 3.1) pointing at MiniDFS.
        YarnConfiguration yc = new YarnConfiguration();
        yc.set("fs.defaultFS", dfs.getURI().toString());
        yc.setInt("dfs.replication", replication);
        yc.set("hadoop.tmp.dir", baseDir.resolve("tmp").toString());
        yc.set(YarnConfiguration.RM_SCHEDULER, CapacityScheduler.class.getName());
        queues(yc);
        yc.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        yc.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
        yc.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", 4096);
        yc.setInt(YarnConfiguration.NM_VCORES, 8);
        yc.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        yc.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        yc.setLong("yarn.client.nodemanager-connect.max-wait-ms", 10_000);
        yc.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 20_000);
        yc.set(YarnConfiguration.YARN_APPLICATION_CLASSPATH, containerClasspath(confDir));
        extraConf.forEach(yc::set);

        MiniYARNCluster yarn = new MiniYARNCluster("weft", 1, nodeManagers, 1, 1);
        yarn.init(yc);
        yarn.start();
        try {
            yarn.waitForNodeManagersToConnect(60_000);
        } catch (Exception e) {
            throw new IOException("NodeManagers did not register: " + e, e);
        }
        Configuration clientConf = new YarnConfiguration(yarn.getConfig());
        clientConf.set("fs.defaultFS", dfs.getURI().toString());
        writeSite(clientConf, confDir.resolve("core-site.xml"));
        writeSite(clientConf, confDir.resolve("yarn-site.xml"));
        FileSystem.closeAll();
        return new EmbeddedCluster(dfs, yarn, clientConf, confDir);
    }

    /**
     * The shipped layout (capacity-scheduler-configs): drivers small and capped, executors large. On these
     * tiny nodes the default AM share of executors is raised so several short-lived test apps can overlap.
     */
    private static void queues(Configuration c) {
        // Set, not addResource: a capacity-scheduler.xml elsewhere on the classpath (Hadoop's test jars ship
        // one) is added by the scheduler after our resource and would win; set values win over every file.
        Configuration layout = new Configuration(false);
        layout.addResource(CapacitySchedulerLayouts.resource(CapacitySchedulerLayouts.DEFAULT));
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

    /** Generic options that point a program at this cluster: {@code -conf core-site.xml -conf yarn-site.xml}. */
    public List<String> genericOptions() {
        return List.of("-conf", confDir.resolve("core-site.xml").toString(), "-conf", confDir.resolve("yarn-site.xml").toString());
    }

    @Override
    public void close() {
        yarn.stop();
        dfs.shutdown();
    }
}
