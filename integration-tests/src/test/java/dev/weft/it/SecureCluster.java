package dev.weft.it;

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
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler;

/**
 * A Kerberized cluster in this JVM: a MiniKdc, a MiniDFSCluster and a MiniYARNCluster whose services all log in
 * from one keytab as {@value #SERVICE} (the JVM has one login user, so one principal serves them all), with the
 * {@code drivers}/{@code executors} queues, the NodeManagers' {@code weft_shuffle} service and containers that run
 * this JVM's classpath behind a generated configuration directory (as {@code EmbeddedCluster} does). The KDC also
 * knows the job's user, {@value #USER}, whose keytab {@link #userKeytab()} is.
 *
 * <p>DataNodes use {@code ignore.secure.ports.for.testing}: a secure DataNode otherwise needs privileged ports (root
 * and jsvc) or SASL data transfer with HTTPS, which the NodeManagers' in-process localizers cannot follow (they read
 * HDFS with a default Configuration, without {@code dfs.data.transfer.protection}). Block access tokens stay on, so a
 * DataNode still checks every read and write against the NameNode's token.
 *
 * <p>Kerberos settings are JVM-wide ({@link UserGroupInformation} is static): {@link #close} turns them back off, so
 * the insecure clusters of later test classes in this JVM are unaffected.
 */
final class SecureCluster implements AutoCloseable {
    /** The services' principal (NameNode, DataNodes, ResourceManager, NodeManagers). */
    static final String SERVICE = "svc/localhost";
    /**
     * The longest a NameNode delegation token lives (its maximum lifetime and renewal interval): short, so a test job
     * can outlive the tokens of its submission.
     */
    static final long TOKEN_LIFETIME_MS = 40_000;
    /** The job's user. */
    static final String USER = "alice";

    private final MiniKdc kdc;
    private final MiniDFSCluster dfs;
    private final MiniYARNCluster yarn;
    private final Configuration conf;
    private final Path confDir;
    private final File userKeytab;

    private SecureCluster(
            MiniKdc kdc, MiniDFSCluster dfs, MiniYARNCluster yarn, Configuration conf, Path confDir, File userKeytab) {
        this.kdc = kdc;
        this.dfs = dfs;
        this.yarn = yarn;
        this.conf = conf;
        this.confDir = confDir;
        this.userKeytab = userKeytab;
    }

    static SecureCluster start(Path baseDir, Map<String, String> extraConf) throws Exception {
        Files.createDirectories(baseDir);
        Path confDir = Files.createDirectories(baseDir.resolve("conf"));
        Properties kdcConf = MiniKdc.createConf();
        MiniKdc kdc = new MiniKdc(
                kdcConf, Files.createDirectories(baseDir.resolve("kdc")).toFile());
        kdc.start();
        String realm = kdc.getRealm();
        File serviceKeytab = baseDir.resolve("service.keytab").toFile();
        kdc.createPrincipal(serviceKeytab, SERVICE, "HTTP/localhost");
        File userKeytab = baseDir.resolve(USER + ".keytab").toFile();
        kdc.createPrincipal(userKeytab, USER);

        YarnConfiguration c = new YarnConfiguration(HadoopConfigurations.create());
        String service = SERVICE + "@" + realm;
        c.set("hadoop.security.authentication", "kerberos");
        c.set("dfs.namenode.kerberos.principal", service);
        c.set("dfs.namenode.keytab.file", serviceKeytab.getAbsolutePath());
        c.set("dfs.datanode.kerberos.principal", service);
        c.set("dfs.datanode.keytab.file", serviceKeytab.getAbsolutePath());
        c.set("dfs.web.authentication.kerberos.principal", "HTTP/localhost@" + realm);
        c.set("dfs.web.authentication.kerberos.keytab", serviceKeytab.getAbsolutePath());
        c.setBoolean("dfs.block.access.token.enable", true);
        c.setLong("dfs.namenode.delegation.token.max-lifetime", TOKEN_LIFETIME_MS);
        c.setLong("dfs.namenode.delegation.token.renew-interval", TOKEN_LIFETIME_MS);
        c.setBoolean("ignore.secure.ports.for.testing", true);
        c.set(YarnConfiguration.RM_PRINCIPAL, service);
        c.set(YarnConfiguration.RM_KEYTAB, serviceKeytab.getAbsolutePath());
        c.set(YarnConfiguration.NM_PRINCIPAL, service);
        c.set(YarnConfiguration.NM_KEYTAB, serviceKeytab.getAbsolutePath());
        UserGroupInformation.setConfiguration(c);

        c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.resolve("dfs").toString());
        c.setInt("dfs.replication", 1);
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(c).numDataNodes(1).build();
        dfs.waitActive();

        c.set("fs.defaultFS", dfs.getURI().toString());
        c.set("hadoop.tmp.dir", baseDir.resolve("tmp").toString());
        c.set(YarnConfiguration.RM_SCHEDULER, CapacityScheduler.class.getName());
        queues(c);
        c.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        c.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
        c.setInt("yarn.minicluster.yarn.nodemanager.resource.memory-mb", 4096);
        c.setInt(YarnConfiguration.NM_VCORES, 32);
        c.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        c.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        c.setLong("yarn.client.nodemanager-connect.max-wait-ms", 10_000);
        c.setLong(YarnConfiguration.RESOURCEMANAGER_CONNECT_MAX_WAIT_MS, 20_000);
        c.set(YarnConfiguration.YARN_APPLICATION_CLASSPATH, containerClasspath(confDir));
        // Every container JVM reads the KDC's krb5.conf, as it would read /etc/krb5.conf on a real node: without it
        // UserGroupInformation cannot start ("Can't get Kerberos realm"), even in a container that only uses tokens.
        c.set(
                YarnConfiguration.NM_ADMIN_USER_ENV,
                "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX,JAVA_TOOL_OPTIONS=-Djava.security.krb5.conf="
                        + kdc.getKrb5conf().getAbsolutePath());
        extraConf.forEach(c::set);
        MiniYARNCluster yarn = new MiniYARNCluster("weft-secure", 1, 1, 1, 1);
        yarn.init(c);
        yarn.start();
        yarn.waitForNodeManagersToConnect(60_000);

        Configuration client = new YarnConfiguration(yarn.getConfig());
        client.set("fs.defaultFS", dfs.getURI().toString());
        for (String site : List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml")) {
            try (OutputStream os = Files.newOutputStream(confDir.resolve(site))) {
                client.writeXml(os);
            }
        }
        FileSystem.closeAll();
        return new SecureCluster(kdc, dfs, yarn, client, confDir, userKeytab);
    }

    /** The shipped queue layout, as {@code EmbeddedCluster} sets it (values, so no other capacity-scheduler.xml wins). */
    private static void queues(Configuration c) {
        Configuration layout = new Configuration(false);
        layout.addResource(CapacitySchedulerLayouts.resource(CapacitySchedulerLayouts.DEFAULT));
        for (Map.Entry<String, String> e : layout) {
            c.set(e.getKey(), e.getValue());
        }
        c.set("yarn.scheduler.capacity.root.executors.maximum-am-resource-percent", "1.0");
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

    /** The job user's principal, {@code alice@REALM}. */
    String userPrincipal() {
        return USER + "@" + kdc.getRealm();
    }

    File userKeytab() {
        return userKeytab;
    }

    /** The cluster's client configuration (Kerberos on, RM and NameNode principals, ports). */
    Configuration conf() {
        return new Configuration(conf);
    }

    /** {@code -conf} options for core-site.xml, hdfs-site.xml and yarn-site.xml of this cluster. */
    List<String> genericOptions() {
        List<String> out = new ArrayList<>();
        for (String site : List.of("core-site.xml", "hdfs-site.xml", "yarn-site.xml")) {
            out.add("-conf");
            out.add(confDir.resolve(site).toString());
        }
        return out;
    }

    /** HDFS as the services' principal, the superuser. */
    FileSystem superuserFileSystem() throws IOException {
        return dfs.getFileSystem();
    }

    MiniYARNCluster yarn() {
        return yarn;
    }

    @Override
    public void close() {
        try {
            yarn.stop();
            dfs.shutdown();
            kdc.stop();
        } finally {
            try {
                FileSystem.closeAll();
            } catch (IOException e) {
                // the clusters are gone; nothing to flush
            }
            UserGroupInformation.reset();
            UserGroupInformation.setConfiguration(HadoopConfigurations.create());
        }
    }
}
