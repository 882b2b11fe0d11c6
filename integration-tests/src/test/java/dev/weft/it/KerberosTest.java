package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.WeftContext;
import dev.weft.examples.WordCount;
import dev.weft.yarn.Jars;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.util.RunJar;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weft on a Kerberized cluster (real MiniKdc, secure MiniDFS and MiniYARN, see {@link SecureCluster}): a job
 * submitted as a principal from its keytab reads its input from HDFS and writes its output there, from executors in
 * the executor application the driver submits with its ResourceManager delegation token; the same submission by a
 * user without Kerberos credentials is refused before it reaches the cluster, saying why.
 */
class KerberosTest {
    private static SecureCluster cluster;
    private static FileSystem superuser;
    private static YarnClient yarn;
    private static final Path HOME = new Path("/user/" + SecureCluster.USER);
    private static final Path INPUT = new Path(HOME, "kerberos-input.txt");
    /**
     * Driver and executors share a queue: on a Kerberized cluster executors run in the driver's application (see
     * {@link #executorsInAQueueOfTheirOwnAreRefusedOnAKerberizedClusterSayingWhy}).
     */
    private static final String ONE_QUEUE = "executors";

    @BeforeAll
    static void startCluster() throws Exception {
        String jar = System.getProperty("weft.aux.jar");
        assertNotNull(jar, "weft.aux.jar is set by the build");
        cluster = SecureCluster.start(
                java.nio.file.Path.of("target/it-kerberos").toAbsolutePath(),
                Map.of(
                        "yarn.nodemanager.aux-services", "weft_shuffle",
                        "yarn.nodemanager.aux-services.weft_shuffle.class", "dev.weft.shuffle.yarn.WeftShuffleService",
                        "yarn.nodemanager.aux-services.weft_shuffle.classpath", jar,
                        "weft.shuffle.service.port", "0"));
        superuser = cluster.superuserFileSystem();
        superuser.mkdirs(HOME);
        superuser.setOwner(HOME, SecureCluster.USER, SecureCluster.USER);
        try (FSDataOutputStream out = superuser.create(INPUT)) {
            for (int i = 0; i < 3000; i++) {
                out.write(("alpha beta gamma-" + (i % 37) + " delta " + (i % 5) + " Kerberos ticket token\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        superuser.setOwner(INPUT, SecureCluster.USER, SecureCluster.USER);
        yarn = YarnClient.createYarnClient();
        yarn.init(cluster.conf());
        yarn.start();
    }

    @AfterAll
    static void stopCluster() {
        if (yarn != null) {
            yarn.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aJobSubmittedAsAPrincipalReadsAndWritesHdfsFromExecutors() throws Throwable {
        Path output = new Path(HOME, "kerberos-output");
        int code = runJar(
                WordCount.class,
                "-D",
                "weft.yarn.principal=" + cluster.userPrincipal(),
                "-D",
                "weft.yarn.keytab=" + cluster.userKeytab().getAbsolutePath(),
                "-D",
                "weft.yarn.driver.queue=" + ONE_QUEUE,
                "-D",
                "weft.yarn.executor.queue=" + ONE_QUEUE,
                INPUT.toString(),
                output.toString());

        ApplicationReport driver = ItSupport.latest(yarn, "WEFT");
        assertNotNull(driver, "the driver application was submitted");
        assertEquals(0, code, "client exit code; driver diagnostics: " + driver.getDiagnostics());
        assertEquals(FinalApplicationStatus.SUCCEEDED, driver.getFinalApplicationStatus());
        assertEquals(SecureCluster.USER, driver.getUser(), "the driver runs as the principal's user");
        assertTrue(
                executorContainers(driver.getApplicationId().toString()) >= 1,
                "the tasks ran in executor containers, which read and wrote HDFS with the tokens they were given");
        assertEquals(
                SecureCluster.USER,
                superuser.getFileStatus(output).getOwner(),
                "the output was written with the user's delegation token");
        assertEquals(ItSupport.referenceCounts(superuser, INPUT), ItSupport.readOutput(superuser, output));
    }

    @Test
    void theSameJobWithoutKerberosCredentialsIsRefusedBeforeSubmissionSayingSo() throws Throwable {
        int before = yarn.getApplications(Set.of("WEFT")).size();
        UserGroupInformation noTicket = UserGroupInformation.createRemoteUser(SecureCluster.USER);
        Submission s = capturing(() -> noTicket.doAs((PrivilegedExceptionAction<Integer>) () -> {
            try {
                return runJar(
                        WordCount.class,
                        "-D",
                        "weft.yarn.driver.queue=" + ONE_QUEUE,
                        "-D",
                        "weft.yarn.executor.queue=" + ONE_QUEUE,
                        INPUT.toString(),
                        new Path(HOME, "never-written").toString());
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }));

        assertEquals(2, s.code(), s.printed());
        assertTrue(
                s.printed()
                        .contains("weft: cannot submit the application: Kerberos is on"
                                + " (hadoop.security.authentication=kerberos) but " + SecureCluster.USER
                                + " has no Kerberos credentials"),
                s.printed());
        assertTrue(s.printed().contains("run kinit, or set weft.yarn.principal and weft.yarn.keytab"), s.printed());
        assertEquals(before, yarn.getApplications(Set.of("WEFT")).size(), "nothing was submitted");
    }

    /**
     * Pins a YARN limitation: an unmanaged application's AMRMToken is handed only to a caller whose full user name
     * equals the application's short one, so a Kerberos principal's driver can never become the executor
     * application's ApplicationMaster. The client says so before submitting instead of the driver waiting in vain.
     */
    @Test
    void executorsInAQueueOfTheirOwnAreRefusedOnAKerberizedClusterSayingWhy() throws Throwable {
        int before = yarn.getApplications(Set.of("WEFT")).size();
        Submission s = capturing(() -> runJar(
                WordCount.class,
                "-D",
                "weft.yarn.principal=" + cluster.userPrincipal(),
                "-D",
                "weft.yarn.keytab=" + cluster.userKeytab().getAbsolutePath(),
                INPUT.toString(),
                new Path(HOME, "never-written-either").toString()));

        assertEquals(2, s.code(), s.printed());
        assertTrue(
                s.printed()
                        .contains("weft: on a Kerberized cluster executors must run in the driver's application: set"
                                + " weft.yarn.queue to one queue for both, or weft.yarn.executor.queue to the driver's"
                                + " queue ('drivers'"),
                s.printed());
        assertEquals(before, yarn.getApplications(Set.of("WEFT")).size(), "nothing was submitted");
    }

    /**
     * Outlives the tokens the client obtained: the NameNode's tokens live {@link SecureCluster#TOKEN_LIFETIME_MS} at
     * most, and this job's tasks open a new NameNode connection (a fresh {@code FileSystem} instance, so no connection
     * authenticated earlier is reused) only after that, so they can write only with the tokens the driver obtained
     * from the keytab and sent them.
     */
    @Test
    void aJobOutlivingItsSubmissionsTokensRunsOnTheTokensTheDriverRenews() throws Throwable {
        Path marks = new Path(HOME, "late-writes");
        long notBefore = System.currentTimeMillis() + SecureCluster.TOKEN_LIFETIME_MS + 5_000;
        int code = runJar(
                WritesAfterTheTokensExpire.class,
                "-D",
                "weft.yarn.principal=" + cluster.userPrincipal(),
                "-D",
                "weft.yarn.keytab=" + cluster.userKeytab().getAbsolutePath(),
                "-D",
                "weft.yarn.driver.queue=" + ONE_QUEUE,
                "-D",
                "weft.yarn.executor.queue=" + ONE_QUEUE,
                marks.toString(),
                Long.toString(notBefore));

        ApplicationReport driver = ItSupport.latest(yarn, "WEFT");
        assertEquals(0, code, "client exit code; driver diagnostics: " + driver.getDiagnostics());
        assertEquals(FinalApplicationStatus.SUCCEEDED, driver.getFinalApplicationStatus());
        org.apache.hadoop.fs.FileStatus[] written = superuser.listStatus(marks);
        assertEquals(4, written.length, "one file per task");
        for (org.apache.hadoop.fs.FileStatus st : written) {
            assertTrue(
                    st.getModificationTime() >= notBefore,
                    st.getPath() + " was written at " + st.getModificationTime() + ", before the tokens expired at "
                            + notBefore);
            assertEquals(SecureCluster.USER, st.getOwner());
        }
    }

    /**
     * Args: a directory and a time (epoch milliseconds). Each of 4 tasks waits until that time, then creates
     * {@code <dir>/task-<i>} through a new {@code FileSystem} instance: a new NameNode connection, authenticated with
     * whatever delegation token the executor holds by then.
     */
    public static final class WritesAfterTheTokensExpire {
        public static void main(String[] args) {
            try (WeftContext ctx = WeftContext.create(args)) {
                String dir = ctx.args()[0];
                long notBefore = Long.parseLong(ctx.args()[1]);
                long written = ctx.parallelize(List.of(0, 1, 2, 3), 4)
                        .map(i -> writeAfter(dir, notBefore, i))
                        .count();
                if (written != 4) {
                    throw new IllegalStateException("wrote " + written + " files, not 4");
                }
            }
        }

        private static long writeAfter(String dir, long notBefore, int i) {
            try {
                long wait = notBefore - System.currentTimeMillis();
                if (wait > 0) {
                    // Not a race: the point is that this much time passes.
                    Thread.sleep(wait);
                }
                Path file = new Path(dir, "task-" + i);
                try (FileSystem fs = FileSystem.newInstance(file.toUri(), dev.weft.conf.HadoopConfigurations.create());
                        FSDataOutputStream out = fs.create(file, true)) {
                    out.write(i);
                }
                return 1L;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** What a client run printed, and its exit code. */
    private record Submission(int code, String printed) {}

    private interface ClientRun {
        int run() throws Throwable;
    }

    /** Runs the client with its standard output captured (and echoed to the test's log). */
    private static Submission capturing(ClientRun run) throws Throwable {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code = run.run();
        } finally {
            System.setOut(stdout);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        stdout.print(printed);
        return new Submission(code, printed);
    }

    /** Containers of {@code appId} other than its first (the driver's), from the NodeManager's log directories. */
    private static long executorContainers(String appId) throws Exception {
        long n = 0;
        for (String dir : cluster.yarn()
                .getNodeManager(0)
                .getConfig()
                .getTrimmedStrings(org.apache.hadoop.yarn.conf.YarnConfiguration.NM_LOG_DIRS)) {
            java.nio.file.Path app = java.nio.file.Path.of(dir, appId);
            if (java.nio.file.Files.isDirectory(app)) {
                try (var containers = java.nio.file.Files.list(app)) {
                    n += containers
                            .filter(c -> !c.getFileName().toString().endsWith("_01_000001"))
                            .count();
                }
            }
        }
        return n;
    }

    /** RunJar, as {@code yarn jar} runs the client, with this cluster's configuration files; the exit code. */
    private static int runJar(Class<?> mainClass, String... args) throws Throwable {
        System.setProperty("weft.client.noExit", "true");
        List<String> argv = new ArrayList<>();
        argv.add(Jars.jarOf(mainClass).toString());
        argv.add(mainClass.getName());
        argv.addAll(cluster.genericOptions());
        argv.addAll(ItSupport.SMALL_CONTAINERS);
        argv.addAll(List.of(args));
        try {
            RunJar.main(argv.toArray(new String[0]));
            return 0;
        } catch (WeftContext.ClientExit e) {
            return e.code();
        }
    }
}
