package dev.weft.yarn;

import dev.weft.conf.HadoopConfigurations;
import dev.weft.transport.auth.AuthSecret;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerLaunchContext;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an executor JVM in an allocated container: builds the launch context (localized jars, CLASSPATH,
 * the application's secret in the environment and, when the NodeManagers run the shuffle service, in its
 * service data; the {@code ExecutorMain} command line) and makes the NodeManager call on its own pool, so a
 * slow NodeManager never stalls the RM heartbeat. The shuffle service port from the start response is
 * reported to {@link ExecutorRegistry#shuffleServiceStarted}. A container that cannot be started is released;
 * its completion then arrives through the allocator like any lost container.
 *
 * <p>Threading: {@link #launch} may be called from any thread; the NodeManager calls run on the given
 * executor.
 */
final class ContainerLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerLauncher.class);
    static final String MAIN_CLASS = "dev.weft.executor.ExecutorMain";

    /**
     * What every executor gets: its container options (heap, JVM options, environment), cores, the driver to
     * register with and the application it runs in.
     */
    record ExecutorSpec(
            ContainerOptions options,
            int cores,
            long memoryBudget,
            InetSocketAddress driver,
            ApplicationId application) {
        ExecutorSpec {
            Objects.requireNonNull(options, "options is null");
            if (cores <= 0) {
                throw new IllegalArgumentException("cores " + cores + " must be positive");
            }
            Objects.requireNonNull(driver, "driver is null");
            Objects.requireNonNull(application, "application is null");
        }
    }

    private final ExecutorApplication app;
    private final Configuration conf;
    private final Callable<Map<String, LocalResource>> localResources;
    private final AuthSecret secret;
    private final ExecutorSpec spec;
    private final ExecutorRegistry registry;
    private final Executor pool;

    /**
     * @param conf the cluster configuration: the YARN classpath and whether the shuffle service runs
     * @param localResources the staged files, read for every container (their status is the file system's)
     */
    ContainerLauncher(
            ExecutorApplication app,
            Configuration conf,
            Callable<Map<String, LocalResource>> localResources,
            AuthSecret secret,
            ExecutorSpec spec,
            ExecutorRegistry registry,
            Executor pool) {
        this.app = Objects.requireNonNull(app, "app is null");
        this.conf = Objects.requireNonNull(conf, "conf is null");
        this.localResources = Objects.requireNonNull(localResources, "localResources is null");
        this.secret = Objects.requireNonNull(secret, "secret is null");
        this.spec = Objects.requireNonNull(spec, "spec is null");
        this.registry = Objects.requireNonNull(registry, "registry is null");
        this.pool = Objects.requireNonNull(pool, "pool is null");
    }

    /** Starts executor {@code execId} in {@code c} on the pool. */
    void launch(Container c, String execId) {
        pool.execute(() -> start(c, execId));
    }

    private void start(Container c, String execId) {
        try {
            boolean service = ShuffleServiceData.configured(conf);
            Map<String, ByteBuffer> meta = app.startContainer(c, launchContext(execId, service));
            int port = service ? ShuffleServiceData.port(meta) : -1;
            if (port > 0) {
                registry.shuffleServiceStarted(execId, port);
            }
            LOG.info(
                    "started executor {} in container {} on {}{}",
                    execId,
                    c.getId(),
                    c.getNodeId(),
                    port > 0 ? " (its map output is served by the node's shuffle service on port " + port + ")" : "");
        } catch (Exception e) {
            LOG.error("cannot start executor {} in container {}: {}", execId, c.getId(), e.toString());
            app.releaseContainer(c.getId());
        }
    }

    ContainerLaunchContext launchContext(String execId, boolean shuffleService) throws Exception {
        return ContainerLaunchContext.newInstance(
                localResources.call(),
                environment(),
                ContainerSpecs.javaCommand(
                        spec.options().heapMiB(),
                        List.of(),
                        spec.options().javaOptions(),
                        MAIN_CLASS,
                        arguments(execId)),
                // The NodeManager's service gets the shuffle key only, not the secret the driver RPC is keyed by.
                shuffleService
                        ? ShuffleServiceData.forContainer(
                                secret.derive(AuthSecret.SHUFFLE).bytes())
                        : null,
                // The secret travels as a secret key of the container's credentials, never in its environment.
                dev.weft.yarn.security.JobCredentials.withSecret(
                        dev.weft.yarn.security.JobCredentials.forExecutors(), secret.bytes()),
                null);
    }

    private Map<String, String> environment() {
        // The user's variables first: Weft's own names are refused by the key's parser, and set after anyway.
        Map<String, String> env = new HashMap<>(spec.options().environment());
        env.put("CLASSPATH", ContainerSpecs.classpath(conf));
        env.put(HadoopConfigurations.JOB_CONF_ENV, ContainerSpecs.JOB_CONF_LINK);
        env.put("WEFT_ROLE", "executor");
        return env;
    }

    List<String> arguments(String execId) {
        List<String> a = new ArrayList<>();
        a.add("--driver");
        a.add(spec.driver().getHostString() + ":" + spec.driver().getPort());
        a.add("--executor-id");
        a.add(execId);
        a.add("--cores");
        a.add(Integer.toString(spec.cores()));
        a.add("--memory-budget");
        a.add(Long.toString(spec.memoryBudget()));
        a.add("--app-id");
        a.add(spec.application().toString());
        return a;
    }
}
