package dev.weft.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class against a real in-process cluster: an {@link EmbeddedCluster} (MiniDFS + MiniYARN with
 * the {@code drivers} and {@code executors} queues), started before the class's {@code @BeforeAll} methods and
 * stopped after the class. Test methods, {@code @BeforeAll}/{@code @BeforeEach} methods and constructors receive it
 * as a {@link WeftTestCluster} parameter:
 *
 * <pre>{@code
 * @WeftCluster
 * class WordCountTest {
 *     @Test
 *     void counts(WeftTestCluster cluster) throws Exception {
 *         JobOutcome outcome = cluster.submit(WordCount.class, "/in", "/out").await(Duration.ofMinutes(3));
 *         assertEquals(0, outcome.exitCode());
 *     }
 * }
 * }</pre>
 *
 * <p>A cluster takes 20-40 s to start and about 20 s to stop on two cores. With {@link #shared()} every class that
 * asks for the same settings uses one cluster, started by the first of them and stopped when the whole test run
 * ends; such classes must leave the cluster as they found it (no stopped NodeManagers or DataNodes, see {@link
 * WeftTestCluster#stopNodeManager}).
 *
 * <p>Containers run this JVM's classpath ({@code java.class.path}), so the programs a test submits are simply classes
 * on the test classpath. The surefire/failsafe JVM needs the {@code --add-opens} flags Hadoop needs on Java 17 (see
 * the README).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(WeftClusterExtension.class)
public @interface WeftCluster {
    /** NodeManagers, each offering 4 GiB and 32 vcores to containers. */
    int nodeManagers() default 2;

    /** DataNodes; files are replicated on {@code min(2, dataNodes)} of them. */
    int dataNodes() default 2;

    /**
     * Whether every NodeManager runs the {@code weft_shuffle} auxiliary service, loaded as on a real cluster from
     * the shaded jar ({@code weft-external-shuffle-aux-service-<version>-shaded.jar}) in its own class loader. The
     * jar is the file named by the system property {@code weft.aux.jar}, or else the one on the test classpath (a
     * test-scoped dependency on {@code dev.weft:weft-external-shuffle-aux-service} with classifier {@code shaded}).
     */
    boolean shuffleService() default true;

    /**
     * Each NodeManager and DataNode pair on a host of its own (a loopback address {@code 127.0.0.2}, {@code
     * 127.0.0.3}, …; needs {@code dataNodes == nodeManagers}), so that block locations, NodeManager ids and executor
     * hosts name real places (data locality) and NodeManagers run as in production: fixed ports and a supervised
     * recovery store, so that {@link WeftTestCluster#restartNodeManager} can restart one under a running job. Files
     * have one replica and 1 MiB blocks.
     */
    boolean distinctHosts() default false;

    /**
     * The name every DataNode registers under ({@code dfs.datanode.hostname}), which HDFS then gives as the host of
     * every block; empty: their address, as usual. A name no NodeManager has (e.g. {@code storage.weft.invalid})
     * models storage-only DataNodes, or DataNodes and NodeManagers that name one host differently. Not with {@link
     * #distinctHosts()}.
     */
    String dataNodeHostName() default "";

    /**
     * NodeManagers enforce each container's physical memory, as production clusters do: a container whose processes
     * use more than it was given is killed (exit status {@code KILLED_EXCEEDED_PMEM}). Off by default, as in
     * MiniYARN.
     */
    boolean memoryLimits() default false;

    /**
     * The NodeManagers' shuffle services accept sealed connections only ({@code weft.shuffle.transport.integrity}), as
     * on a Kerberized cluster, where that is their default: executors then seal every fetch (AES-GCM records keyed
     * from the application's secret). Needs {@link #shuffleService()}.
     */
    boolean shuffleIntegrity() default false;

    /**
     * NodeManagers aggregate the logs of finished applications into HDFS ({@code /app-logs}), as production clusters
     * do, so that {@code yarn logs} and YARN's log API return them; the containers' local logs are then deleted
     * ({@link JobOutcome#driverLogs()} finds none).
     */
    boolean logAggregation() default false;

    /**
     * One cluster for every class of the test run that asks for the same {@link #nodeManagers()}, {@link
     * #dataNodes()}, {@link #shuffleService()}, {@link #distinctHosts()}, {@link #dataNodeHostName()} and {@link
     * #memoryLimits()}, {@link #shuffleIntegrity()} and {@link #logAggregation()}, instead of one per class.
     */
    boolean shared() default false;
}
